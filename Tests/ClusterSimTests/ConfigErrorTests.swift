import Foundation
import Testing

@testable import ClusterSim

/// Every kind of bad input, with the exact message a user sees (file:line:column: key path:
/// message). Each case edits one line of a valid config.
@Suite struct ConfigErrorTests: ConfigCases {
  /// A valid config; the cases below replace parts of it. Line numbers are those of this text.
  static let valid = """
    cluster:
      pools:
        - name: h800
          chip: H800-SXM5-80GB
          nodes: 64
          price_per_gpu_hour: 2
        - name: a100
          chip: A100-SXM4-80GB
          nodes: 4
          price_per_gpu_hour: 1.5
    phases:
      - name: prep
        pool: a100
        gpus: 32
        hours: 10
      - name: main
        pool: h800
        gpus: 512
        depends_on: [prep]
        gpu_hours: 1000
    simulation:
      seed: 7
      replications: 10
    """

  @Test func validConfigLoads() throws {
    let program = try ConfigLoader.parse(yaml: Self.valid, file: "configs/x.yaml")
    #expect(program.pools.map(\.name) == ["h800", "a100"])
    #expect(program.pools[0].schedulableGPUs == 512)
    #expect(program.pools[1].gpusPerNode == 8)
    #expect(program.phases.map(\.name) == ["prep", "main"])
    #expect(program.phases[1].dependencies == [0])
    #expect(program.phases[1].work == .gpuHours(1000))
    #expect(program.phases[0].precision == .bf16)
    #expect(program.simulation == SimulationSettings(seed: 7, replications: 10))
  }

  @Test(arguments: [
    // GPUs that do not fit the pool: the example of the issue.
    ("    gpus: 512", "    gpus: 1024",
     "configs/x.yaml:18:11: phases[1].gpus: 1024 GPUs requested but pool \"h800\" has 512"),
    // Unknown keys, with the nearest valid key.
    ("    gpu_hours: 1000", "    gpu_hour: 1000",
     "configs/x.yaml:20:5: phases[1].gpu_hour: unknown key \"gpu_hour\"; did you mean \"gpu_hours\"?"),
    ("simulation:", "simulaton:",
     "configs/x.yaml:21:1: simulaton: unknown key \"simulaton\"; did you mean \"simulation\"?"),
    ("      price_per_gpu_hour: 2\n", "      price_per_gpu_hour: 2\n      zone: eu\n",
     "configs/x.yaml:7:7: cluster.pools[0].zone: unknown key \"zone\"; valid keys are: chip, cost, failures, gpus_per_node, name, nodes, price_per_gpu_hour, spare_nodes"),
    // Values: positive, finite, integral, numbers at all.
    ("      nodes: 64", "      nodes: -64",
     "configs/x.yaml:5:14: cluster.pools[0].nodes: must be positive, got -64"),
    ("      nodes: 64", "      nodes: 6.5",
     "configs/x.yaml:5:14: cluster.pools[0].nodes: must be a whole number, got 6.5"),
    ("      nodes: 64", "      nodes: .inf",
     "configs/x.yaml:5:14: cluster.pools[0].nodes: must be a finite number, got .inf"),
    ("      nodes: 64", "      nodes: many",
     "configs/x.yaml:5:14: cluster.pools[0].nodes: expected a number, got \"many\""),
    ("      nodes: 64", "      nodes:",
     "configs/x.yaml:5:13: cluster.pools[0].nodes: expected a number, got nothing"),
    ("      price_per_gpu_hour: 2", "      price_per_gpu_hour: -2",
     "configs/x.yaml:6:27: cluster.pools[0].price_per_gpu_hour: must be zero or more, got -2"),
    ("    hours: 10", "    hours: 0",
     "configs/x.yaml:15:12: phases[0].hours: must be positive, got 0"),
    ("  replications: 10", "  replications: 0",
     "configs/x.yaml:23:17: simulation.replications: must be positive, got 0"),
    ("  seed: 7", "  seed: -7",
     "configs/x.yaml:22:9: simulation.seed: must be a whole number from 0 to 18446744073709551615, got \"-7\""),
    ("      price_per_gpu_hour: 2", "      price_per_gpu_hour: 2e5",
     "configs/x.yaml:6:27: cluster.pools[0].price_per_gpu_hour: must be at most 1000 US dollars per GPU-hour, got 200000; check the unit"),
    ("    hours: 10", "    tokens: 1e300\n    model: {active_params: 1e300}\n    mfu: 0.5",
     "configs/x.yaml:15:13: phases[0].tokens: must be at most 1e+18 tokens, got 1e+300; check the unit"),
    ("    gpu_hours: 1000", "    gpu_hours: 1e12",
     "configs/x.yaml:20:16: phases[1].gpu_hours: the work takes 1953125000 hours on 512 GPUs, more than the 1000000 hours (114 years) a phase may last; check its size and units"),
    // Names exist and are unique.
    ("    pool: h800", "    pool: h80",
     "configs/x.yaml:17:11: phases[1].pool: no pool named \"h80\"; did you mean \"h800\"? (pools: h800, a100)"),
    ("      chip: H800-SXM5-80GB", "      chip: H800",
     "configs/x.yaml:4:13: cluster.pools[0].chip: unknown chip \"H800\"; did you mean \"H800-SXM5-80GB\"? (catalog: A100-SXM4-80GB, H800-SXM5-80GB, H100-SXM5-80GB, H200-SXM-141GB, B200-SXM-180GB, GB200-NVL72-186GB, GB300-NVL72-288GB, B300-SXM-288GB; add new chips under \"chips\")"),
    ("      chip: H800-SXM5-80GB", "      chip: H800-SXM5-80G",
     "configs/x.yaml:4:13: cluster.pools[0].chip: unknown chip \"H800-SXM5-80G\"; did you mean \"H800-SXM5-80GB\"? (catalog: A100-SXM4-80GB, H800-SXM5-80GB, H100-SXM5-80GB, H200-SXM-141GB, B200-SXM-180GB, GB200-NVL72-186GB, GB300-NVL72-288GB, B300-SXM-288GB; add new chips under \"chips\")"),
    ("    - name: a100", "    - name: h800",
     "configs/x.yaml:7:13: cluster.pools[1].name: duplicate pool name \"h800\" (first at line 3)"),
    ("  - name: main", "  - name: prep",
     "configs/x.yaml:16:11: phases[1].name: duplicate phase name \"prep\" (first at line 12)"),
    ("    depends_on: [prep]", "    depends_on: [perp]",
     "configs/x.yaml:19:18: phases[1].depends_on[0]: no phase named \"perp\"; did you mean \"prep\"? (phases: prep, main)"),
    // depends_on has no cycles (a self-dependency is one).
    ("    depends_on: [prep]", "    depends_on: [main]",
     "configs/x.yaml:19:17: phases[1].depends_on: dependency cycle: main -> main"),
    ("    hours: 10", "    hours: 10\n    depends_on: [main]",
     "configs/x.yaml:16:17: phases[0].depends_on: dependency cycle: prep -> main -> prep"),
    // The work: exactly one form, and tokens with what they need.
    ("    gpu_hours: 1000", "    gpu_hours: 1000\n    hours: 3",
     "configs/x.yaml:21:12: phases[1].hours: the work is given twice (gpu_hours and hours); keep exactly one"),
    ("    gpu_hours: 1000\n", "",
     "configs/x.yaml:16:5: phases[1]: missing the work: give one of gpu_hours, hours, or tokens (with model.active_params and mfu)"),
    ("    gpu_hours: 1000", "    tokens: 1e12\n    model: {active_params: 7e9}",
     "configs/x.yaml:16:5: phases[1]: work given as tokens needs mfu (model FLOPs utilisation, 0 < mfu <= 1)"),
    ("    gpu_hours: 1000", "    tokens: 1e12\n    model: {active_params: 7e9}\n    mfu: 1.5",
     "configs/x.yaml:22:10: phases[1].mfu: must be a fraction of peak between 0 and 1, got 1.5"),
    ("    gpu_hours: 1000", "    gpu_hours: 1000\n    mfu: 0.4",
     "configs/x.yaml:21:10: phases[1].mfu: applies only to work given as tokens; remove it or give tokens"),
    ("    hours: 10", "    tokens: 1e9\n    model: {active_params: 1e9}\n    mfu: 0.5\n    precision: fp8",
     "configs/x.yaml:18:16: phases[0].precision: chip A100-SXM4-80GB of pool \"a100\" has no fp8 peak (it has: fp64, fp64_tensor, tf32, bf16, fp16)"),
    ("    hours: 10", "    hours: 10\n    precision: bf61",
     "configs/x.yaml:16:16: phases[0].precision: unknown precision \"bf61\"; did you mean \"bf16\"? (one of: fp64, fp64_tensor, tf32, bf16, fp16, fp8, fp4, fp8_blockwise, mxfp8, nvfp4)"),
    // Shapes.
    ("  pools:\n", "  pools: 3\n  old_pools:\n",
     "configs/x.yaml:2:10: cluster.pools: expected a list, got \"3\""),
  ])
  func badValueIsReportedWithItsPlace(old: String, new: String, expected: String) {
    #expect(messages(edited(old, new)).contains(expected))
  }

  @Test func unknownKeyAlsoLeavesTheRequiredOneMissing() {
    let yaml = edited("    gpus: 32", "    gpu: 32")
    #expect(
      messages(yaml) == [
        "configs/x.yaml:12:5: phases[0]: missing required key \"gpus\"",
        "configs/x.yaml:14:5: phases[0].gpu: unknown key \"gpu\"; did you mean \"gpus\"?",
      ])
  }

  @Test func everyProblemIsReportedInDocumentOrder() {
    let yaml = edited("      nodes: 64", "      nodes: 0").replacingOccurrences(
      of: "  replications: 10", with: "  replications: 2.5")
    #expect(
      messages(yaml) == [
        "configs/x.yaml:5:14: cluster.pools[0].nodes: must be positive, got 0",
        "configs/x.yaml:23:17: simulation.replications: must be a whole number, got 2.5",
      ])
  }

  @Test(arguments: [
    ("cluster:\n  pools: [\nphases: x", "configs/x.yaml:4:1: (document): YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 10)"),
    ("cluster: {pools: []}\ncluster: 3\n", "configs/x.yaml:2:1: (document): duplicate key \"cluster\" in one mapping; give each key once (first at line 1)"),
    ("", "configs/x.yaml:1:1: (document): the config is empty; it needs at least \"cluster\" and \"phases\" (see docs/config.md)"),
    ("- 1\n- 2\n", "configs/x.yaml:1:1: (document): expected a mapping with keys chips, cluster, expect, include, measured, phases, scheduler, simulation, sweep, workload, got a list"),
    ("cluster:\n  pools: []\nphases: []\n", "configs/x.yaml:2:10: cluster.pools: at least one pool is required"),
    ("key: \"unterminated\n", "configs/x.yaml:2:1: (document): YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at line 1, column 6)"),
  ])
  func malformedDocuments(yaml: String, expected: String) {
    #expect(messages(yaml).first == expected)
  }

  @Test func unreadableFileIsAConfigError() {
    #expect(throws: ConfigError.self) { try ConfigLoader.load(path: "/nonexistent/x.yaml") }
    do {
      _ = try ConfigLoader.load(path: "/nonexistent/x.yaml")
    } catch {
      #expect(error.description == "/nonexistent/x.yaml:1:1: (file): cannot read the config: no such file; check the path")
    }
  }
}
