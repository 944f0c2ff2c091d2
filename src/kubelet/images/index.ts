/** Locally built OCI images (pause, busybox test image), import into containerd, listing. */
export { buildOciImage, buildLayerTar, sha256Digest, ociArchitecture, OCI_MEDIA_TYPES } from './oci-builder.js';
export type { BuiltOciImage, ImageDirectory, ImageFile, ImageRunConfig, ImageSymlink, OciImageDefinition } from './oci-builder.js';
export { buildPauseImage, buildBusyboxImage, TEST_BUSYBOX_IMAGE, PAUSE_IMAGE, BUSYBOX_APPLETS, TEST_WORKLOADS } from './test-images.js';
export { importImage, listImages, parseImportedNames } from './import.js';
