/**
 * `kindling/cluster`: the cluster runtime (wire protocol, TCP transport with authentication,
 * cluster manager, worker nodes, executors). It lands with its own issue; this entry point
 * exists so the package's export map is stable.
 */
export const CLUSTER_PROTOCOL_VERSION = 1;
