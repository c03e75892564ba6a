// The one place ClusterSim touches libnuma (numa(3)). Only ParallelCore imports this module.
#ifndef CLUSTERSIM_CNUMA_SHIM_H
#define CLUSTERSIM_CNUMA_SHIM_H

#include <numa.h>

/// Whether `cpu` is in the set of CPUs this process may run on (cpuset and affinity limits).
static inline int cnuma_cpu_is_allowed(int cpu) {
  struct bitmask *allowed = numa_all_cpus_ptr;
  if (allowed == 0) { return 1; }
  return numa_bitmask_isbitset(allowed, (unsigned int)cpu);
}

#endif
