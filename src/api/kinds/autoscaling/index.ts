/**
 * The autoscaling kinds: HorizontalPodAutoscaler v2 (stored) and v1 (converted), plus the
 * autoscaling/v1 Scale used by every /scale subresource.
 */
import type { KindDefinition } from '../../types.js';
import { horizontalPodAutoscaler, horizontalPodAutoscalerV1 } from './hpa.js';

export { horizontalPodAutoscaler, horizontalPodAutoscalerV1 };
export { hpaV1ToV2, hpaV2ToV1 } from './convert.js';
export { SCALE_MODEL, applyScale, toScale, validateScale } from './scale.js';
/** v2 first: it is the stored (preferred) version. */
export const kinds: KindDefinition[] = [horizontalPodAutoscaler, horizontalPodAutoscalerV1];
