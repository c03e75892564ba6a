/// The Blackwell parts of the built-in catalog, per GPU. NVIDIA quotes most tensor-core peaks
/// "with sparsity"; the dense peak is half of that. FP64 (vector and tensor core alike) is dense.
/// Step-time constants: each chip's fit (`Efficiency+Fitted`).
extension ChipCatalog {
  /// HGX/DGX B200, 8 GPUs joined by NVLink 5 on one baseboard. NVIDIA DGX B200 product page:
  /// 1,440 GB of HBM3e at 64 TB/s, FP8 72 PFLOPS and FP4 144 PFLOPS with sparsity (FP4 72
  /// PFLOPS dense, quoted), 14.4 TB/s of NVLink, 8 x 400 Gb/s ConnectX-7; NVIDIA HGX B200
  /// datasheet: FP16/BF16 36 PFLOPS with sparsity. Per GPU: 180 GB, 8 TB/s, BF16 2,250, FP8 4,500,
  /// FP4 9,000 TFLOPS dense, 1,800 GB/s NVLink, 400 Gb/s. TF32 (2.2 PFLOPS sparse), FP64 (40
  /// TFLOPS) and the 1,000 W TDP: NVIDIA Blackwell architecture technical brief, HGX B200.
  static let b200 = Chip(
    name: "B200-SXM-180GB",
    peakTFLOPS: [.fp64: 40, .tf32: 1100, .bf16: 2250, .fp16: 2250, .fp8: 4500, .fp4: 9000],
    hbmGB: 180, hbmTBPerS: 8.0, nvlinkGBPerS: 1800, nicGbps: 400, tdpWatts: 1000,
    nvlinkDomainGPUs: 8, efficiency: .b200)

  /// GB200 NVL72: 72 Blackwell GPUs (36 GB200 superchips of one Grace and two GPUs) on 18
  /// compute trays of 4, one NVLink 5 domain through 9 NVLink switch trays. NVIDIA GB200 NVL72
  /// product page, per GB200 superchip: FP4 40, FP8/FP6 20, FP16/BF16 10, TF32 5 PFLOPS with
  /// sparsity; FP64 80 TFLOPS; up to 372 GB of HBM3e at 16 TB/s; 3.6 TB/s of NVLink. Per GPU:
  /// FP4 10,000, FP8 5,000, BF16 2,500, TF32 1,250 TFLOPS dense, FP64 40; 186 GB at 8 TB/s;
  /// 1,800 GB/s NVLink. NIC: one 400 Gb/s ConnectX-7 per GPU (NVIDIA DGX SuperPOD GB200
  /// reference architecture, compute tray). TDP 1,200 W: NVIDIA Blackwell architecture technical
  /// brief, GB200. Host link: NVLink-C2C between the Grace CPU and its two GPUs, 900 GB/s both
  /// directions per superchip (same product page), read as 225 GB/s per direction per GPU.
  static let gb200NVL72 = Chip(
    name: "GB200-NVL72-186GB",
    peakTFLOPS: [.fp64: 40, .tf32: 1250, .bf16: 2500, .fp16: 2500, .fp8: 5000, .fp4: 10000],
    hbmGB: 186, hbmTBPerS: 8.0, nvlinkGBPerS: 1800, nicGbps: 400, tdpWatts: 1200,
    nvlinkDomainGPUs: 72, hostLinkGBPerS: 225, efficiency: .gb200)

  /// GB300 NVL72: 72 Blackwell Ultra GPUs on 18 compute trays of 4, one NVLink 5 domain. NVIDIA
  /// GB300 NVL72 product page, per rack: FP4 1,080 PFLOPS dense (quoted; 1,440 with sparsity),
  /// FP8/FP6 720, FP16/BF16 360, TF32 180 PFLOPS with sparsity, FP64 100 TFLOPS; HBM3e at 576
  /// TB/s; 130 TB/s of NVLink; one ConnectX-8 SuperNIC of 800 Gb/s per GPU. Per GPU: FP4 15,000,
  /// FP8 5,000, BF16 2,500, TF32 1,250 TFLOPS dense, FP64 100/72 = 1.39 (cut from B200's 40);
  /// 8 TB/s; 1,800 GB/s NVLink. 288 GB of HBM3e per GPU and up to 1,400 W: NVIDIA technical
  /// blog, "Inside NVIDIA Blackwell Ultra" (2025). Host link: NVLink-C2C as GB200's, 225 GB/s per
  /// direction per GPU.
  static let gb300NVL72 = Chip(
    name: "GB300-NVL72-288GB",
    peakTFLOPS: [.fp64: 1.39, .tf32: 1250, .bf16: 2500, .fp16: 2500, .fp8: 5000, .fp4: 15000],
    hbmGB: 288, hbmTBPerS: 8.0, nvlinkGBPerS: 1800, nicGbps: 800, tdpWatts: 1400,
    nvlinkDomainGPUs: 72, hostLinkGBPerS: 225, efficiency: .gb300)

  /// HGX B300: 8 Blackwell Ultra GPUs on one baseboard. NVIDIA HGX product page, HGX B300 (8
  /// GPUs): FP4 108 PFLOPS dense (quoted; 144 with sparsity), FP8/FP6 72, FP16/BF16 36, TF32 18
  /// PFLOPS with sparsity, FP64 10 TFLOPS; NVLink 5 at 1.8 TB/s per GPU; networking 1.6 TB/s
  /// both directions (8 x 800 Gb/s ConnectX-8). Per GPU: FP4 13,500, FP8 4,500, BF16 2,250, TF32
  /// 1,125 TFLOPS dense, FP64 1.25; 288 GB of HBM3e at 8 TB/s (NVIDIA DGX B300 product page:
  /// 2.3 TB over 8 GPUs). TDP 1,100 W: secondary sources only (OEM HGX B300 specifications).
  static let b300 = Chip(
    name: "B300-SXM-288GB",
    peakTFLOPS: [.fp64: 1.25, .tf32: 1125, .bf16: 2250, .fp16: 2250, .fp8: 4500, .fp4: 13500],
    hbmGB: 288, hbmTBPerS: 8.0, nvlinkGBPerS: 1800, nicGbps: 800, tdpWatts: 1100,
    nvlinkDomainGPUs: 8, efficiency: .b300)
}
