#!/usr/bin/env python3
"""Convert NVIDIA's published NeMo / Megatron-Bridge training-throughput rows into ClusterSim
measurement files, one per chip: configs/calibration/nvidia-<chip>.yaml (ClusterSim issue 26).

Run by hand (python3 with PyYAML), never by build or test:

    python3 scripts/calibration/convert-nvidia-tables.py

Inputs, both copies inside the repository:
  configs/calibration/source/training-throughput-2025.yaml   (the published rows, verbatim copy)
  configs/calibration/source/megatron-bridge-perf-recipes.yaml
      (framework settings of Megatron-Bridge's performance recipes at 067f987d, written by
       scripts/calibration/extract-mbridge-recipes.py)

The fit target is tokens/s per GPU as published, never the tables' TFLOP/s (their FLOP counts
changed between releases).
"""

import collections
import json
import math
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "../.."))
SOURCE = "configs/calibration/source/training-throughput-2025.yaml"
RECIPES = "configs/calibration/source/megatron-bridge-perf-recipes.yaml"
MB_COMMIT = "067f987df03b8355b03192d88d70f1709fedf51a"

# ---------------------------------------------------------------------------------------------
# Chips: ClusterSim catalog names agreed for issue 26; NVL72 parts are booked 4 GPUs per node.
CHIPS = {
    "H100": ("h100", "H100-SXM5-80GB", 8),
    "B200": ("b200", "B200-SXM-180GB", 8),
    "GB200": ("gb200", "GB200-NVL72-186GB", 4),
    "GB300": ("gb300", "GB300-NVL72-288GB", 4),
    "B300": ("b300", "B300-SXM-288GB", 8),
}

# Precision: the file's normalised reading -> ClusterSim recipe name (agreed names). None = the
# meaning of the figure's precision is not captured: excluded.
PRECISION = {
    "bf16": "bf16",
    "fp8_cs": "fp8",
    "fp8_cs (inferred)": "fp8",
    "fp8 (scaling recipe not stated)": "fp8",  # unstated FP8 is read as per-tensor (agreed)
    "mxfp8": "mxfp8",
    "mxfp8 (inferred)": "mxfp8",
    "fp8_blockwise (inferred)": "fp8_blockwise",
    "nvfp4": "nvfp4",
    "fp8, alternative recipe (meaning of parentheses not captured)": None,
}
RECIPE_PRECISION = {"bf16": "bf16", "fp8": "fp8cs", "mxfp8": "fp8mx", "fp8_blockwise": "fp8sc",
                    "nvfp4": "nvfp4"}

# ---------------------------------------------------------------------------------------------
# Model architectures (HF config.json of the named repository unless said otherwise; the keys of
# docs/config.md). ffn_activation: swiglu = gated (three matrices), gelu = two matrices.
MLA_V2 = "MLA shapes per DeepSeek-V2 (arXiv 2405.04434) §2.1"
ARCH = {
    "Llama 3 8B": dict(
        src="meta-llama/Meta-Llama-3-8B config.json",
        m=dict(layers=32, hidden=4096, ffn=14336, heads=32, kv_heads=8, vocab=128256)),
    "Llama 3 70B": dict(
        src="meta-llama/Meta-Llama-3-70B config.json",
        m=dict(layers=80, hidden=8192, ffn=28672, heads=64, kv_heads=8, vocab=128256)),
    "Llama 3.1 405B": dict(
        src="meta-llama/Llama-3.1-405B config.json (also arXiv 2407.21783 Table 3)",
        m=dict(layers=126, hidden=16384, ffn=53248, heads=128, kv_heads=8, vocab=128256)),
    "Llama 2 7B": dict(
        src="meta-llama/Llama-2-7b-hf config.json",
        m=dict(layers=32, hidden=4096, ffn=11008, heads=32, vocab=32000)),
    "Llama 2 13B": dict(
        src="meta-llama/Llama-2-13b-hf config.json",
        m=dict(layers=40, hidden=5120, ffn=13824, heads=40, vocab=32000)),
    "Llama 2 70B": dict(
        src="meta-llama/Llama-2-70b-hf config.json",
        m=dict(layers=80, hidden=8192, ffn=28672, heads=64, kv_heads=8, vocab=32000)),
    "GPT-3 175B": dict(
        src="Brown et al. 2020 (arXiv 2005.14165) Table 2.1: 96 layers, d_model 12288, 96 heads, "
            "d_ff = 4 d_model, GPT-2 BPE vocabulary 50257; GeLU FFN",
        m=dict(layers=96, hidden=12288, ffn=49152, heads=96, vocab=50257, ffn_activation="gelu")),
    "Nemotron-4 15B": dict(
        src="Parmar et al. 2024 (arXiv 2402.16819) Table 1 and §2: 32 layers, hidden 6144, 48 heads, "
            "8 KV heads, vocabulary 256000, squared-ReLU FFN 4h (two matrices: written gelu)",
        m=dict(layers=32, hidden=6144, ffn=24576, heads=48, kv_heads=8, vocab=256000,
               ffn_activation="gelu")),
    "Nemotron-4 340B": dict(
        src="NVIDIA 2024 (arXiv 2406.11704) Table 1: 96 layers, hidden 18432, 96 heads, 8 KV heads, "
            "FFN 73728 squared-ReLU (two matrices: written gelu), vocabulary 256000",
        m=dict(layers=96, hidden=18432, ffn=73728, heads=96, kv_heads=8, vocab=256000,
               ffn_activation="gelu")),
    "Mixtral 8x7B": dict(
        src="mistralai/Mixtral-8x7B-v0.1 config.json",
        m=dict(kind="moe", layers=32, hidden=4096, ffn=14336, heads=32, kv_heads=8, vocab=32000,
               routed_experts=8, experts_per_token=2, expert_ffn=14336)),
    "Mixtral 8x22B": dict(
        src="mistralai/Mixtral-8x22B-v0.1 config.json (vocabulary 32768 as in the v0.1 Instruct "
            "tokenizer NeMo uses; 32000 would change the FLOPs by < 0.1%)",
        m=dict(kind="moe", layers=56, hidden=6144, ffn=16384, heads=48, kv_heads=8, vocab=32768,
               routed_experts=8, experts_per_token=2, expert_ffn=16384)),
    "Llama 4 Scout 17B-16E (LLM only)": dict(
        src="meta-llama/Llama-4-Scout-17B-16E config.json text_config (every layer MoE: "
            "interleave_moe_layer_step 1; 16 experts, top-1, one shared expert, expert FFN 8192; "
            "chunked attention of 8192 on 3 of 4 layers = full causal at sequence 8192)",
        m=dict(kind="moe", layers=48, hidden=5120, ffn=16384, heads=40, kv_heads=8, head_dim=128,
               vocab=202048, routed_experts=16, shared_experts=1, experts_per_token=1,
               expert_ffn=8192)),
    "Qwen3-30B-A3B": dict(
        src="Qwen/Qwen3-30B-A3B config.json (decoder_sparse_step 1, mlp_only_layers [])",
        m=dict(kind="moe", layers=48, hidden=2048, ffn=6144, heads=32, kv_heads=4, head_dim=128,
               vocab=151936, routed_experts=128, experts_per_token=8, expert_ffn=768)),
    "Qwen3-235B-A22B": dict(
        src="Qwen/Qwen3-235B-A22B config.json (decoder_sparse_step 1, mlp_only_layers [])",
        m=dict(kind="moe", layers=94, hidden=4096, ffn=12288, heads=64, kv_heads=4, head_dim=128,
               vocab=151936, routed_experts=128, experts_per_token=8, expert_ffn=1536)),
    "DeepSeek-V3 671B-A37B": dict(
        src="deepseek-ai/DeepSeek-V3 config.json (first_k_dense_replace 3, q_lora 1536, kv_lora 512, "
            "qk_nope 128, qk_rope 64, v_head 128; MTP module not counted)",
        mla=dict(q_rank=1536, kv_rank=512, nope=128, rope=64, v=128),
        m=dict(kind="moe", layers=61, dense_layers=3, hidden=7168, ffn=18432, heads=128,
               head_dim=128, kv_rank=512, rope_dim=64, vocab=129280, routed_experts=256,
               shared_experts=1, experts_per_token=8, expert_ffn=2048)),
    "Kimi K2 1T-A32B": dict(
        src="moonshotai/Kimi-K2-Base config.json (DeepSeek-V3 layout: first_k_dense_replace 1, "
            "384 routed experts, 64 heads, q_lora 1536, kv_lora 512, qk_nope 128, qk_rope 64, "
            "v_head 128)",
        mla=dict(q_rank=1536, kv_rank=512, nope=128, rope=64, v=128),
        m=dict(kind="moe", layers=61, dense_layers=1, hidden=7168, ffn=18432, heads=64,
               head_dim=128, kv_rank=512, rope_dim=64, vocab=163840, routed_experts=384,
               shared_experts=1, experts_per_token=8, expert_ffn=2048)),
    "gpt-oss-120b": dict(
        src="openai/gpt-oss-120b config.json (36 layers alternating sliding_attention (window 128) "
            "and full_attention, attention sinks, clamped SwiGLU, QKV/expert biases)",
        swa=dict(window=128, sliding_layers=18),
        m=dict(kind="moe", layers=36, hidden=2880, ffn=2880, heads=64, kv_heads=8, head_dim=64,
               vocab=201088, routed_experts=128, experts_per_token=4, expert_ffn=2880)),
    "gpt-oss-20b": dict(
        src="openai/gpt-oss-20b config.json (24 layers alternating sliding (128) and full "
            "attention, sinks, clamped SwiGLU)",
        swa=dict(window=128, sliding_layers=12),
        m=dict(kind="moe", layers=24, hidden=2880, ffn=2880, heads=64, kv_heads=8, head_dim=64,
               vocab=201088, routed_experts=32, experts_per_token=4, expert_ffn=2880)),
}
# Models the step-time model cannot describe: hybrids with Mamba layers, DeepSeek-V4's sparse
# attention, and Nemotron (dense, 8B/22B) whose NeMo 1.x architectures are not sourced here; GPT-3
# 5B/20B (NeMo launcher shapes, not sourced here).
UNDESCRIBABLE = {
    "nemotron3": "Nemotron 3 / 3.5 hybrid (Mamba-2 + attention + MoE layers)",
    "deepseek-v4": "DeepSeek-V4 (compressed sparse attention, mHC)",
}
UNSOURCED = {"Nemotron 8B", "Nemotron 22B", "GPT-3 5B", "GPT-3 20B"}

# Megatron-Core's recompute_modules, each a ClusterSim `recompute: {modules: [...]}` name as is
# (megatron/core/transformer/transformer_config.py, TransformerConfig.recompute_modules).
RECOMPUTE_MODULES = {"core_attn", "layernorm", "mla_up_proj", "mlp", "moe", "moe_act",
                     "shared_experts"}

# NeMo AutoModel benchmark configs (NVIDIA-NeMo/Automodel@36044ad3d1 examples/llm_benchmark/):
# activation_checkpointing (whole-layer checkpointing -> recompute full) and ep_size where the
# table leaves EP blank. The 1024-GPU DeepSeek-V3 config (deepseek_v3_te_deepep_1024.yaml) does not
# set activation_checkpointing (default off).
AUTOMODEL = {
    "automodel-main-pretrain-deepseek-v3-671b-a37b-h100-bf16-256g":
        dict(src="deepseek/deepseek_v3_te_deepep.yaml", ckpt=True),
    "automodel-main-pretrain-deepseek-v3-671b-a37b-h100-bf16-1024g":
        dict(src="deepseek/deepseek_v3_te_deepep_1024.yaml", ckpt=False),
    "automodel-main-pretrain-kimi-k2-1t-a32b-h100-bf16-256g":
        dict(src="kimi/kimi_k2_te_deepep.yaml", ckpt=True),
    "automodel-main-pretrain-qwen3-30b-a3b-h100-bf16-8g":
        dict(src="qwen/qwen3_moe_30b_te_deepep.yaml", ckpt=True),
    "automodel-main-pretrain-llama-3-70b-h100-bf16-64g":
        dict(src="llama3_3/custom_llama3_1_70b_pretrain_benchmark_8nodes.yaml", ckpt=True),
    "automodel-main-pretrain-gpt-oss-120b-h100-bf16-64g":
        dict(src="gpt_oss/gptoss_120b_te_deepep.yaml", ckpt=False, ep=64),
    "automodel-main-pretrain-gpt-oss-20b-h100-bf16-8g":
        dict(src="gpt_oss/gptoss_20b_te_deepep.yaml", ckpt=False, ep=8),
}

RECIPE_MODEL = {
    "Llama 3 8B": "llama3_8b", "Llama 3 70B": "llama3_70b", "Llama 3.1 405B": "llama31_405b",
    "DeepSeek-V3 671B-A37B": "deepseek_v3", "Qwen3-30B-A3B": "qwen3_30b_a3b",
    "Qwen3-235B-A22B": "qwen3_235b_a22b", "gpt-oss-120b": "gpt_oss_120b",
    "Kimi K2 1T-A32B": "kimi_k2",
}


def mla_flops_per_token(m, mla, seq):
    """Training FLOPs per token (forward + backward = 3x forward, 2 FLOPs per multiply-add) of an
    MLA MoE model, causal attention (each token sees (s+1)/2 keys on average, taken as s/2 as the
    step-time model does). Per layer: q = h*q_r + q_r*H*(d_nope+d_rope); kv = h*(kv_r+d_rope) +
    kv_r*H*(d_nope+d_v); o = H*d_v*h (DeepSeek-V2 §2.1 eqs. 9-19); core = H*(d_nope+d_rope)*s/2 +
    H*d_v*s/2; dense FFN 3*h*ffn; MoE FFN (k+shared)*3*h*expert_ffn + router h*E; logits h*V.
    For DeepSeek-V3 at 4096 this gives 250.4e9, against 250e9 in "Insights into DeepSeek-V3"
    (ISCA '25, arXiv 2505.09343) Table 2."""
    h, H, L = m["hidden"], m["heads"], m["layers"]
    proj = (h * mla["q_rank"] + mla["q_rank"] * H * (mla["nope"] + mla["rope"])
            + h * (mla["kv_rank"] + mla["rope"]) + mla["kv_rank"] * H * (mla["nope"] + mla["v"])
            + H * mla["v"] * h)
    core = H * (mla["nope"] + mla["rope"] + mla["v"]) * seq / 2
    dense = m["dense_layers"]
    moe = ((m["experts_per_token"] + m["shared_experts"]) * 3 * h * m["expert_ffn"]
           + h * m["routed_experts"])
    macs = L * (proj + core) + dense * 3 * h * m["ffn"] + (L - dense) * moe + h * m["vocab"]
    return 6 * macs


def swa_flops_per_token(m, swa, seq):
    """Training FLOPs per token of a GQA MoE model whose `sliding_layers` attend to a causal window
    of `window` tokens (mean context w - w(w-1)/(2s) keys) and the rest to the causal prefix (s/2,
    the step-time model's convention). Projections with head_dim: q and o h*H*d each, k and v
    h*K*d each; core 2*H*d*context multiply-adds; experts k*3*h*f + router h*E; logits h*V; 6 FLOPs
    per multiply-add for forward + backward. Biases, sinks (one logit per head) and the SwiGLU
    clamp are left out."""
    h, H, K, d, L = m["hidden"], m["heads"], m["kv_heads"], m["head_dim"], m["layers"]
    w, sl = swa["window"], swa["sliding_layers"]
    proj = 2 * h * H * d + 2 * h * K * d
    ctx_window = w - w * (w - 1) / (2 * seq) if seq > w else seq / 2
    core = sl * 2 * H * d * ctx_window + (L - sl) * 2 * H * d * seq / 2
    moe = m["experts_per_token"] * 3 * h * m["expert_ffn"] + h * m["routed_experts"]
    macs = L * (proj + moe) + core + h * m["vocab"]
    return 6 * macs


def release_key(release):
    """Sortable release: '26.04.01' -> (26, 4, 1); AutoModel's 'main (page "Last Updated
    2025-10-02")' -> (25, 10, 0), its page date."""
    if release.startswith("main"):
        return (25, 10, 0)
    parts = [int(p) for p in release.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def recipe_for(row, precision, recipes):
    """The Megatron-Bridge perf recipe of the row's model, chip and precision: the one whose
    layout matches the row's most closely, preferring the row's GPU count. Returns (name, how)."""
    prefix = RECIPE_MODEL.get(row["model"]["name"])
    if prefix is None or not row["framework"].startswith("Megatron-Bridge"):
        return None, None
    chip = row["chip"].lower()
    p = row["parallel"]
    b = row["batch"]
    want = dict(tp=p["tp"], pp=p["pp"], cp=p["cp"] or 1, vp=p["vp"] if (p["vp"] or 1) > 1 else None,
                ep=p["ep"] or 1, gbs=b["gbs"], mbs=b["mbs"])
    best = None
    for name, r in recipes.items():
        if not name.startswith(prefix + "_pretrain_") or f"_{chip}_" not in name:
            continue
        same_prec = f"_{RECIPE_PRECISION[precision]}" in name
        gpus = int(name[len(prefix) + 10:].split("gpu")[0])
        have = dict(tp=r.get("tp", 1), pp=r.get("pp", 1), cp=r.get("cp", 1),
                    vp=r.get("vp") if (r.get("vp") or 1) > 1 else None, ep=r.get("ep", 1),
                    gbs=r.get("gbs"), mbs=r.get("mbs"))
        hits = sum(have[k] == want[k] for k in want)
        score = (same_prec, hits, gpus == row["gpus"], -len(name))
        if best is None or score > best[0]:
            best = (score, name, hits)
    if best is None:
        return None, None
    (same_prec, hits, same_gpus, _), name, _ = best
    how = ("same precision" if same_prec else "other precision") + (
        ", layout matches" if hits == 7 else f", {hits}/7 of tp/pp/cp/vp/ep/gbs/mbs match")
    return name, how


def framework_settings(row, model, recipes, precision):
    """recompute, activation offloading, overlap_tp_comm, grad_reduce, overlap_grad_reduce for a
    row, and where they came from."""
    tp = row["parallel"]["tp"] or 1
    fw = row["framework"]
    if fw.startswith("Megatron-Bridge"):
        name, how = recipe_for(row, precision, recipes)
        r = recipes.get(name, {}) if name else {}
        rc, modules = r.get("recompute"), r.get("recompute_modules")
        if rc == "full":
            n, method = r.get("recompute_num_layers"), r.get("recompute_method")
            per_chunk = model["layers"] / ((row["parallel"]["pp"] or 1) * max(row["parallel"]["vp"] or 1, 1))
            if method == "uniform" or n is None or n >= per_chunk:
                recompute = "full"
            else:
                recompute = {"full_layers": n}  # block method: the first n layers of each chunk
        elif rc == "selective":
            # Megatron-Core's default recompute_modules is ["core_attn"] (TransformerConfig).
            listed = ["core_attn"] if modules is None else modules
            unknown = set(listed) - RECOMPUTE_MODULES
            if unknown:
                sys.exit(f"{name}: recompute_modules {sorted(unknown)} have no ClusterSim name")
            recompute = {"modules": sorted(set(listed))} if listed else "none"
        else:
            recompute = "none"
        # Activation offloading (Megatron-Core cpu_offloading): only activations-only offloading
        # maps; a recipe that also offloads weights is named above the phase and not mapped.
        offload, offload_weights = 0, False
        if r.get("cpu_offloading"):
            if r.get("cpu_offloading_weights", False):
                offload_weights = True
            else:
                offload = r.get("cpu_offloading_num_layers") or 0
        return dict(
            recompute=recompute,
            overlap_tp_comm=bool(r.get("tp_comm_overlap", False)) and tp > 1,
            grad_reduce="fp32" if r.get("grad_reduce_in_fp32", False) else "bf16",
            overlap_grad_reduce=r.get("overlap_grad_reduce", True),
            note=(f"recipe {name} ({how}; {r['src']})" if name else
                  "no Megatron-Bridge perf recipe for this model: framework defaults"),
            recipe_modules=modules if rc == "selective" else (
                f"full/{r.get('recompute_method')}/{r.get('recompute_num_layers')} layers"
                if rc == "full" else None),
            cuda_graph=r.get("cuda_graph_impl"),
            offload_layers=offload,
            offload_weights=offload_weights)
    if fw.startswith("NeMo AutoModel"):
        cfg = AUTOMODEL.get(row["id"], {})
        return dict(recompute="full" if cfg.get("ckpt") else "none", overlap_tp_comm=False,
                    grad_reduce="fp32", overlap_grad_reduce=True,
                    note=("NeMo AutoModel FSDP2; benchmark config " + cfg["src"]) if cfg else
                    "NeMo AutoModel FSDP2: no benchmark config found, activation checkpointing off",
                    recipe_modules=None, cuda_graph=None, offload_layers=0, offload_weights=False)
    return dict(recompute="none", overlap_tp_comm=tp > 1, grad_reduce="bf16",
                overlap_grad_reduce=True, note=f"{fw}: assumed settings", recipe_modules=None,
                cuda_graph=None, offload_layers=0, offload_weights=False)


def select(rows):
    """Kept rows and the count dropped for each reason, in the order the reasons are applied."""
    dropped = collections.OrderedDict()

    def drop(reason, row):
        dropped.setdefault(reason, []).append(row["id"])

    kept = []
    for row in rows:
        name = row["model"]["name"]
        fam = row["model"]["family"]
        if row["task"] == "lora":
            drop("task lora (LoRA adapters: not full training)", row)
        elif row["task"] == "sft":
            drop("task sft (packed SQuAD sequences: per-document attention the model cannot "
                 "describe)", row)
        elif row["chip"] not in CHIPS:
            drop("chip outside H100/B200/GB200/GB300/B300", row)
        elif PRECISION.get(row["precision"]["norm"], "?") is None:
            drop("precision meaning not captured (parenthesised alternative whose legend is "
                 "missing)", row)
        elif fam in UNDESCRIBABLE:
            drop(f"model not describable: {UNDESCRIBABLE[fam]}", row)
        elif name in UNSOURCED:
            drop("model architecture not sourced (NeMo 1.x Nemotron 8B/22B, GPT-3 5B/20B)", row)
        elif name not in ARCH:
            drop(f"model without architecture: {name}", row)
        else:
            kept.append(row)
    # Superseded figures are not rows of the file (they sit under superseded:); none enter.
    groups = collections.defaultdict(list)
    for row in kept:
        p, b = row["parallel"], row["batch"]
        key = (row["model"]["name"], row["chip"], PRECISION[row["precision"]["norm"]],
               row["gpus"], b["gbs"], b["mbs"], b["seq_len"],
               tuple((k, p[k] or (0 if k == "fsdp" else 1)) for k in
                     ("tp", "pp", "cp", "vp", "ep", "etp", "fsdp")))
        groups[key].append(row)
    newest = []
    for key, group in groups.items():
        group.sort(key=lambda r: (release_key(r["release"]), not r["id"].endswith("-alt")),
                   reverse=True)
        newest.append(group[0])
        for row in group[1:]:
            drop("older duplicate (same model/chip/precision/gpus/gbs/mbs/seq/layout; the "
                 "newest release kept)", row)
    order = {r["id"]: i for i, r in enumerate(rows)}
    newest.sort(key=lambda r: order[r["id"]])
    return newest, dropped


def phase_lines(row, recipes):
    arch = ARCH[row["model"]["name"]]
    model = dict(arch["m"])
    seq = row["batch"]["seq_len"]
    precision = PRECISION[row["precision"]["norm"]]
    if "mla" in arch:
        model["flops_per_token"] = float(f"{mla_flops_per_token(model, arch['mla'], seq):.4g}")
    if "swa" in arch:
        model["flops_per_token"] = float(f"{swa_flops_per_token(model, arch['swa'], seq):.4g}")
    p = row["parallel"]
    tp, pp, cp = p["tp"] or 1, p["pp"] or 1, p["cp"] or 1
    vp = p["vp"] if (p["vp"] or 1) > 1 else 1
    dp = p["dp"]
    assert tp * pp * cp * dp == row["gpus"], row["id"]
    fw = framework_settings(row, model, recipes, precision)
    lay = dict(tp=tp, pp=pp, cp=cp)
    if model.get("kind") == "moe":
        lay["ep"] = p["ep"] or AUTOMODEL.get(row["id"], {}).get("ep", 1)
        lay["etp"] = p["etp"] if p["etp"] is not None else tp  # Megatron-Core: ETP defaults to TP
    lay["dp"] = dp
    if vp > 1:
        lay["schedule"] = "interleaved"
        lay["virtual_stages"] = vp
    lay["microbatch"] = row["batch"]["mbs"]
    lay["zero"] = 3 if p["fsdp"] else 1
    lay["sequence_parallel"] = tp > 1
    lay["recompute"] = fw["recompute"]
    if fw["offload_layers"] > 0:
        lay["activation_offload_layers"] = fw["offload_layers"]
    if model["layers"] % (pp * vp) != 0:
        lay["uneven_pipeline"] = True
    lay["overlap_tp_comm"] = fw["overlap_tp_comm"]
    lay["grad_reduce"] = fw["grad_reduce"]
    lay["overlap_grad_reduce"] = fw["overlap_grad_reduce"]
    detail = [fw["note"]]
    if fw["recipe_modules"]:
        detail.append(f"recompute in recipe: {fw['recipe_modules']}")
    if fw["cuda_graph"] and fw["cuda_graph"] != "none":
        detail.append(f"CUDA graphs: {fw['cuda_graph']}")
    if fw["offload_layers"] > 0:
        detail.append(f"activation offloading in recipe: cpu_offloading_num_layers "
                      f"{fw['offload_layers']} (weights not offloaded)")
    if fw["offload_weights"]:
        detail.append("CPU offloading of weights in recipe: not modelled, not mapped")
    kernels = row.get("kernels")
    if kernels:
        detail.append(f"kernels: {kernels}")
    out = [f"  # {row['model']['name']}, {row['chip']}, {row['precision']['published'] or 'unlabelled'}"
           f" (read as {precision}), release {row['release']}, {row['framework']}"]
    for d in detail:
        out.append(f"  # {d}")
    out += [
        f"  - name: {row['id']}",
        f"    pool: {CHIPS[row['chip']][0]}",
        f"    gpus: {row['gpus']}",
        f"    precision: {precision}",
        f"    model: {{{fmt(model)}}}",
        f"    seq_len: {seq}",
        f"    global_batch: {row['batch']['gbs']}",
        "    steps: 1",
        "    attention_kernel: flash",
        f"    parallelism: {{{fmt(lay)}}}",
    ]
    return out, fw


def fmt(d):
    def v(x):
        if isinstance(x, dict):
            return "{" + fmt(x) + "}"
        if isinstance(x, list):
            return "[" + ", ".join(v(e) for e in x) + "]"
        if isinstance(x, bool):
            return "true" if x else "false"
        if isinstance(x, float):
            return f"{x:.4g}".replace("e+", "e")
        return str(x)
    return ", ".join(f"{k}: {v(x)}" for k, x in d.items())


def source_text(row):
    s = row["source"]
    where = s.get("path") or s.get("url") or ""
    commit = s.get("commit", "")
    table = s.get("table", "")
    return f"{s.get('repo', '')} {where}@{commit[:10]}, {table}".strip()


def main():
    data = yaml.safe_load(open(os.path.join(REPO, SOURCE)))
    recipes = yaml.safe_load(open(os.path.join(REPO, RECIPES)))["recipes"]
    rows = data["rows"]
    kept, dropped = select(rows)
    by_chip = collections.defaultdict(list)
    for row in kept:
        by_chip[row["chip"]].append(row)
    summary = [f"{len(rows)} rows in the source; {len(kept)} kept"]
    for reason, ids in dropped.items():
        summary.append(f"  dropped {len(ids):3d}: {reason}")
    print("\n".join(summary))
    for chip, (short, catalog, per_node) in CHIPS.items():
        chip_rows = by_chip.get(chip, [])
        write_chip(chip, short, catalog, per_node, chip_rows, rows, dropped)
    return 0


def write_chip(chip, short, catalog, per_node, chip_rows, all_rows, dropped):
    counts = collections.Counter(r["model"]["family"] for r in chip_rows)
    precisions = collections.Counter(PRECISION[r["precision"]["norm"]] for r in chip_rows)
    chip_total = sum(1 for r in all_rows if r["chip"] == chip)
    ids = {r["id"]: r for r in all_rows}
    chip_dropped = collections.OrderedDict()
    for reason, rid in dropped.items():
        n = sum(1 for i in rid if ids[i]["chip"] == chip)
        if n:
            chip_dropped[reason] = n
    nodes = max(math.ceil(r["gpus"] / per_node) for r in chip_rows)
    families = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    precs = ", ".join(f"{k} {v}" for k, v in sorted(precisions.items()))
    lines = [
        f"# Measured training throughput on {chip} ({catalog}) from NVIDIA's NeMo / Megatron-Bridge",
        "# performance tables: one phase per published row, tokens/s per GPU as published (the fit",
        "# target; never the tables' TFLOP/s, whose FLOP counts changed between releases).",
        f"# Source: {SOURCE} (verbatim copy of ../shared/reference/training-throughput-2025.yaml;",
        "# each row's table, repository path and commit are in its measured: entry).",
        "# Regenerate: python3 scripts/calibration/convert-nvidia-tables.py (do not edit by hand).",
        "#",
        f"# Rows: {chip_total} {chip} rows in the source, {len(chip_rows)} kept ({families}; {precs}).",
    ]
    for reason, n in chip_dropped.items():
        lines.append(f"#   dropped {n}: {reason}")
    lines += HEADER_NOTES
    lines += [
        "cluster:",
        "  pools:",
        f"    - name: {short}",
        f"      chip: {catalog}",
        f"      nodes: {nodes}",
        f"      gpus_per_node: {per_node}",
        "      price_per_gpu_hour: 1.00  # placeholder: calibration reads step times only",
        "phases:",
    ]
    measured = []
    for row in chip_rows:
        plines, _ = phase_lines(row, RECIPE_CACHE)
        lines += plines
        t = row["throughput"]["tokens_per_s_per_gpu"]
        measured.append(
            f"  - {{phase: {row['id']}, tokens_per_s_per_gpu: {t}, family: {row['model']['family']}, "
            f"source: {json.dumps(source_text(row))}, id: {row['id']}, release: {json.dumps(row['release'])}}}")
    lines.append("measured:")
    lines += measured
    out = os.path.join(REPO, f"configs/calibration/nvidia-{short}.yaml")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(chip_rows):3d} phases -> configs/calibration/nvidia-{short}.yaml")


HEADER_NOTES = f"""#
# Selection (all chips): pretraining rows only (LoRA excluded; SFT rows are packed SQuAD sequences
# whose per-document attention the model cannot describe); superseded figures never enter (the
# source keeps them apart); rows whose precision is not captured are dropped; models the step-time
# model cannot describe are dropped (Nemotron 3 / 3.5 hybrids with Mamba layers, DeepSeek-V4) and
# models whose architecture is not sourced here (NeMo 1.x Nemotron 8B/22B, GPT-3 5B/20B). Where
# several releases measured the same model, chip, precision, GPUs, gbs, mbs, sequence and full
# layout (tp/pp/cp/vp/ep/etp/fsdp), whatever the framework, only the newest release is kept, so
# that leave-one-out is not flattered by near-twins.
#
# Precision: FP8-CS and unlabelled/unstated FP8 -> fp8 (per-tensor current scaling); MXFP8/FP8-MX
# -> mxfp8; the 25.09 H100 parenthesised figure (128x128 weights, 1x128 activations) ->
# fp8_blockwise; NVFP4 -> nvfp4.
#
# Layout: tp/pp/cp/ep/etp/dp as published (etp, when unpublished, is tp: Megatron-Core's default
# for expert_tensor_parallel_size); vp > 1 -> schedule interleaved + virtual_stages; mbs ->
# microbatch; an FSDP cell (on, or a sharding-group size) -> zero 3, else zero 1 (Megatron's
# distributed optimizer); sequence_parallel when tp > 1; attention_kernel flash; uneven_pipeline
# where layers do not split over pp x vp (Megatron-Bridge places them with a pipeline layout).
#
# Framework settings the tables do not show (recompute, activation offloading, overlap_tp_comm,
# grad_reduce, overlap_grad_reduce) come from Megatron-Bridge's performance recipes at commit
# {MB_COMMIT[:10]} ({RECIPES}): for each row the recipe of its model, chip and precision whose
# layout matches best (named above each phase). Recipes of older releases may have differed: the
# snapshot's is assumed. Mapping: recompute_granularity selective with recompute_modules -> recompute: {{modules:
# [the same names]}} (Megatron-Core's default ["core_attn"] where the recipe names none); selective
# with an empty list, or none -> none; full with the block method over fewer layers than a
# pipeline chunk holds -> recompute: {{full_layers: recompute_num_layers}} (the first n layers of
# each chunk); full on every layer (uniform, or block over a whole chunk) -> full.
# tp_comm_overlap (userbuffers) -> overlap_tp_comm when tp > 1 (Megatron-Bridge turns it off
# below tp 2 or without sequence parallelism). grad_reduce bf16: the recipes'
# _benchmark_common sets grad_reduce_in_fp32 False (perf_recipes/_common.py). overlap_grad_reduce:
# the recipe's, else true (base recipe DDP config). CUDA graphs have no ClusterSim key; they are
# named above the phase where the recipe sets them. cpu_offloading with cpu_offloading_weights
# false (or unset) and cpu_offloading_num_layers n > 0 -> activation_offload_layers: n (the first
# n layers of each pipeline chunk keep their activations in host memory between their forward
# and backward), named above the phase; a recipe that offloads weights is not mapped.
# Assumptions where no recipe exists: NeMo 1.x / NeMo 2.0 rows: recompute none, overlap_tp_comm
# when tp > 1 (NeMo's performance configs enable userbuffers for tp > 1), grad_reduce bf16,
# overlap_grad_reduce true. NeMo AutoModel (PyTorch FSDP2) rows: zero 3; recompute full where the
# benchmark config (Automodel@36044ad3d1 examples/llm_benchmark/, named above the phase) sets
# activation_checkpointing, else none; gpt-oss EP (blank in the table) from those configs (64 for
# 120b, 8 for 20b); grad_reduce fp32 (FSDP2 MixedPrecisionPolicy reduce_dtype float32, assumed);
# overlap_grad_reduce true.
#
# Models (sources in the script): head_dim is written where heads x head_dim != hidden (Qwen3,
# gpt-oss, Llama 4 Scout is equal). DeepSeek-V3 and Kimi K2 (MLA): flops_per_token at the row's
# sequence from the script's MLA formula (DeepSeek-V2 §2.1 shapes; 250.4e9 for V3 at 4096 against
# ISCA '25 Table 2's 250e9), plus kv_rank 512 / rope_dim 64 / head_dim 128. gpt-oss: flops_per_token
# with 18 of 36 layers (120b) attending a 128-token window and head_dim 64 projections;
# approximated: attention sinks, biases and the SwiGLU clamp left out. Nemotron-4 and GPT-3:
# squared-ReLU / GeLU FFNs written gelu (two matrices; the FLOPs are the same). MoE rows from 25.11
# on are force-balanced and dropless (page note); 25.09 rows are token-drop or dropless as marked.
# MTP modules (DeepSeek-V3) are not counted.
#""".split("\n")

RECIPE_CACHE = None

if __name__ == "__main__":
    RECIPE_CACHE = yaml.safe_load(open(os.path.join(REPO, RECIPES)))["recipes"]
    sys.exit(main())
