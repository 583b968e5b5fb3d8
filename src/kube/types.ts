// Type-only re-exports so pure rooms can name Kubernetes objects without importing @kubernetes/client-node.
export type {
  CoreV1Event as KubeEvent,
  KubeConfig,
  V1Container as Container,
  V1ContainerStatus as ContainerStatus,
  V1CronJob as CronJob,
  V1DaemonSet as DaemonSet,
  V1Deployment as Deployment,
  V1Job as Job,
  V1Namespace as Namespace,
  V1Node as KubeNode,
  V1ObjectMeta as ObjectMeta,
  V1OwnerReference as OwnerReference,
  V1Pod as Pod,
  V1PodSpec as PodSpec,
  V1ReplicaSet as ReplicaSet,
  V1StatefulSet as StatefulSet,
} from '@kubernetes/client-node';
