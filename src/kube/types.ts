// Type-only re-exports so pure rooms can name Kubernetes objects without importing @kubernetes/client-node.
export type {
  CoreV1Event as KubeEvent,
  V1Container as Container,
  V1ContainerStatus as ContainerStatus,
  V1Node as KubeNode,
  V1OwnerReference as OwnerReference,
  V1Pod as Pod,
  V1PodSpec as PodSpec,
} from '@kubernetes/client-node';
