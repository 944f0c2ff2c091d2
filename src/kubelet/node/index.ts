/**
 * The containerd kubelet's node side: registration and heartbeats of the real Node (agent.ts,
 * node-status.ts, host-facts.ts) and the Summary API that feeds metrics.k8s.io (stats.ts).
 */
export { startNodeAgent, type NodeAgent, type NodeAgentOptions, type NodeAgentLog } from './agent.js';
export { topImages, MAX_IMAGES_IN_STATUS, type NodeImage } from './node-status.js';
export { handleStatsSummary, NodeStats, summaryFromCri, type StatsCri, type Summary, type PodSummary, type ContainerSummary, type StatsSamples } from './stats.js';
