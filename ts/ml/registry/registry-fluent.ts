/**
 * The registry calls of the `tracking` namespace, on the client of the current tracking URI (as
 * MLflow's client carries them; the registry lives in the tracking store's `models/`).
 */
import { getClient } from '../tracking/fluent.js';
import type { MlflowClient } from '../tracking/client.js';

type C = MlflowClient;
export const createRegisteredModel = (...a: Parameters<C['createRegisteredModel']>) => getClient().createRegisteredModel(...a);
export const getRegisteredModel = (...a: Parameters<C['getRegisteredModel']>) => getClient().getRegisteredModel(...a);
export const renameRegisteredModel = (...a: Parameters<C['renameRegisteredModel']>) => getClient().renameRegisteredModel(...a);
export const updateRegisteredModel = (...a: Parameters<C['updateRegisteredModel']>) => getClient().updateRegisteredModel(...a);
export const deleteRegisteredModel = (...a: Parameters<C['deleteRegisteredModel']>) => getClient().deleteRegisteredModel(...a);
export const searchRegisteredModels = (...a: Parameters<C['searchRegisteredModels']>) => getClient().searchRegisteredModels(...a);
export const setRegisteredModelTag = (...a: Parameters<C['setRegisteredModelTag']>) => getClient().setRegisteredModelTag(...a);
export const deleteRegisteredModelTag = (...a: Parameters<C['deleteRegisteredModelTag']>) => getClient().deleteRegisteredModelTag(...a);
export const getModelVersion = (...a: Parameters<C['getModelVersion']>) => getClient().getModelVersion(...a);
export const updateModelVersion = (...a: Parameters<C['updateModelVersion']>) => getClient().updateModelVersion(...a);
export const deleteModelVersion = (...a: Parameters<C['deleteModelVersion']>) => getClient().deleteModelVersion(...a);
export const transitionModelVersionStage = (...a: Parameters<C['transitionModelVersionStage']>) => getClient().transitionModelVersionStage(...a);
export const getLatestVersions = (...a: Parameters<C['getLatestVersions']>) => getClient().getLatestVersions(...a);
export const searchModelVersions = (...a: Parameters<C['searchModelVersions']>) => getClient().searchModelVersions(...a);
export const setModelVersionTag = (...a: Parameters<C['setModelVersionTag']>) => getClient().setModelVersionTag(...a);
export const deleteModelVersionTag = (...a: Parameters<C['deleteModelVersionTag']>) => getClient().deleteModelVersionTag(...a);
export const setRegisteredModelAlias = (...a: Parameters<C['setRegisteredModelAlias']>) => getClient().setRegisteredModelAlias(...a);
export const deleteRegisteredModelAlias = (...a: Parameters<C['deleteRegisteredModelAlias']>) => getClient().deleteRegisteredModelAlias(...a);
export const getModelVersionByAlias = (...a: Parameters<C['getModelVersionByAlias']>) => getClient().getModelVersionByAlias(...a);
