// istiod's view of an in-process cluster: the objects it watches, read from the API, through
// the pure istiodView.
import type { ClusterApi } from '../../../api-server/cluster-api.ts';
import { istiodView, type IstiodView, type IstiodViewOptions } from './istiod-view.ts';
import { meshObjects } from './mesh-objects.ts';

export function readIstiodView(api: ClusterApi, options: IstiodViewOptions = {}): IstiodView {
  return istiodView(meshObjects(api), options);
}
