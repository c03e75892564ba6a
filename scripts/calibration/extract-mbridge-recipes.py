#!/usr/bin/env python3
"""Extract the framework settings of Megatron-Bridge's flat performance recipes into
configs/calibration/source/megatron-bridge-perf-recipes.yaml (ClusterSim issue 26).

Run by hand, never by build or test, on a source tree of NVIDIA-NeMo/Megatron-Bridge at commit
067f987df03b8355b03192d88d70f1709fedf51a (the snapshot the published tables were read at):

    git -C MB_GITDIR archive 067f987df03b8355b03192d88d70f1709fedf51a src/megatron/bridge \
        | tar -x -C /tmp/mb
    python3 scripts/calibration/extract-mbridge-recipes.py /tmp/mb

Static reading (no imports of Megatron): every function in src/megatron/bridge/perf_recipes/
and src/megatron/bridge/recipes/ is parsed; the assignments to the keys below are replayed in
source order, following calls into other recipe functions (and `import ... as` aliases of the
base recipes), so the last assignment wins, as when the recipe runs. Kept: pretraining recipes
of the models and chips the converter uses. Not modelled: assignments under `if` that depend on
arguments (none of the kept recipes take arguments).
"""

import ast
import os
import re
import sys

KEYS = {
    "tensor_model_parallel_size": "tp", "pipeline_model_parallel_size": "pp",
    "context_parallel_size": "cp", "virtual_pipeline_model_parallel_size": "vp",
    "expert_model_parallel_size": "ep", "expert_tensor_parallel_size": "etp",
    "global_batch_size": "gbs", "micro_batch_size": "mbs",
    "recompute_granularity": "recompute", "recompute_modules": "recompute_modules",
    "recompute_method": "recompute_method", "recompute_num_layers": "recompute_num_layers",
    "tp_comm_overlap": "tp_comm_overlap", "tp_comm_overlap_cfg": "tp_comm_overlap_cfg",
    "comm_overlap": "comm_overlap", "overlap_grad_reduce": "overlap_grad_reduce",
    "grad_reduce_in_fp32": "grad_reduce_in_fp32", "cuda_graph_impl": "cuda_graph_impl",
    "use_megatron_fsdp": "megatron_fsdp",
    "cpu_offloading": "cpu_offloading", "cpu_offloading_weights": "cpu_offloading_weights",
    "cpu_offloading_num_layers": "cpu_offloading_num_layers",
}
NAME = re.compile(
    r"(llama3_8b|llama3_70b|llama31_405b|deepseek_v3|qwen3_30b_a3b|qwen3_235b_a22b|gpt_oss_120b"
    r"|kimi_k2)_pretrain_(\d+)gpu_(h100|b200|b300|gb200|gb300)_(bf16|fp8cs|fp8mx|fp8sc|nvfp4)"
    r"(?:_(\w+))?_config$")


def parse(root):
    funcs, alias = {}, {}
    base = os.path.join(root, "src/megatron/bridge")
    for sub in ("perf_recipes", "recipes"):
        for folder, _, files in os.walk(os.path.join(base, sub)):
            for name in sorted(files):
                if not name.endswith(".py"):
                    continue
                path = os.path.join(folder, name)
                tree = ast.parse(open(path).read())
                for node in ast.walk(tree):
                    if isinstance(node, ast.ImportFrom):
                        for a in node.names:
                            if a.asname:
                                alias[a.asname] = a.name
                for node in tree.body:
                    if not isinstance(node, ast.FunctionDef):
                        continue
                    steps = []
                    for n in ast.walk(node):
                        if isinstance(n, ast.Assign):
                            for t in n.targets:
                                if isinstance(t, ast.Attribute) and t.attr in KEYS:
                                    steps.append((n.lineno, "set", t.attr, ast.unparse(n.value)))
                        elif isinstance(n, ast.Call):
                            callee = ast.unparse(n.func).split(".")[-1]
                            steps.append((n.lineno, "call", callee, None))
                    steps.sort()
                    rel = os.path.relpath(path, base)
                    funcs.setdefault(node.name, []).append({"src": f"{rel}:{node.lineno}", "steps": steps})
    return funcs, alias


def replay(name, funcs, alias, seen=(), top=False):
    """Settings of `name` in execution order. A perf recipe and the base recipe it calls may share
    a name (perf_recipes/.../x_config calls recipes/.../x_config): a definition never resolves to
    one already on the call stack, and the top level takes the perf recipe's."""
    name = alias.get(name, name)
    defs = [d for d in funcs.get(name, []) if d["src"] not in seen]
    if top:
        defs = [d for d in defs if d["src"].startswith("perf_recipes/")]
    if not defs:
        return []
    entry = defs[0]
    out = []
    for _, kind, key, value in entry["steps"]:
        if kind == "set":
            out.append((key, value))
        else:
            out += replay(key, funcs, alias, seen + (entry["src"],))
    return out


def literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def main():
    funcs, alias = parse(sys.argv[1])
    rows = []
    for name in sorted(funcs):
        perf = [d for d in funcs[name] if d["src"].startswith("perf_recipes/")]
        if not perf or not NAME.match(name):
            continue
        settings = {}
        for key, value in replay(name, funcs, alias, top=True):
            if key == "comm_overlap":
                m = re.search(r"tp_comm_overlap=(\w+)", value)
                settings["tp_comm_overlap"] = literal(m.group(1)) if m else None
            elif key == "tp_comm_overlap_cfg":
                settings["tp_comm_overlap_cfg_set"] = True
            else:
                settings[KEYS[key]] = literal(value)
        if settings.get("tp_comm_overlap") is None and settings.pop("tp_comm_overlap_cfg_set", False):
            settings["tp_comm_overlap"] = True  # a userbuffers config on the base recipe's overlap
        settings.pop("tp_comm_overlap_cfg_set", None)
        settings = {k: v for k, v in settings.items() if v is not None and not isinstance(v, str) or k in ("recompute", "recompute_method", "cuda_graph_impl") and isinstance(v, str)}
        rows.append((name, perf[0]["src"], settings))
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "../../configs/calibration/source/megatron-bridge-perf-recipes.yaml")
    with open(out, "w") as f:
        f.write("# Framework settings of NVIDIA-NeMo/Megatron-Bridge's flat performance recipes at commit\n"
                "# 067f987df03b8355b03192d88d70f1709fedf51a (src/megatron/bridge/perf_recipes/, paths below are\n"
                "# relative to src/megatron/bridge), read statically by\n"
                "# scripts/calibration/extract-mbridge-recipes.py; absent key = not set by the recipe (framework\n"
                "# default). Generated: do not edit by hand.\n")
        f.write("recipes:\n")
        for name, src, s in rows:
            body = ", ".join(f"{k}: {v!r}".replace("'", '"').replace("True", "true").replace("False", "false") for k, v in s.items())
            f.write(f"  {name}: {{src: \"{src}\", {body}}}\n")
    print(f"{len(rows)} recipes -> {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
