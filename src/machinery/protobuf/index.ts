/**
 * Kubernetes protobuf request bodies: `decodeK8sProtobuf(buf, expectModel)` turns a body sent as
 * `application/vnd.kubernetes.protobuf` into plain JSON; `modelForKind(apiVersion, kind)` is the
 * expectModel the API server uses (served kinds plus Eviction, TokenRequest, DeleteOptions).
 */
export { decodeK8sProtobuf, PROTOBUF_MAGIC, MAX_DEPTH } from './decode.js';
export { modelForKind, EXTRA_BODY_MODELS } from './models.js';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
