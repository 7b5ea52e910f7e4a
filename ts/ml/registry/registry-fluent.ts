/**
 * The registry calls of the `tracking` namespace, on the client of the current tracking URI (as
 * MLflow's client carries them; the registry lives in the tracking store's `models/`).
 */
import { getClient } from '../tracking/fluent.js';
import type { MlflowClient } from '../tracking/client.js';

type C = MlflowClient;
export const createRegisteredModel = async (...a: Parameters<C['createRegisteredModel']>) => getClient().createRegisteredModel(...a);
export const getRegisteredModel = async (...a: Parameters<C['getRegisteredModel']>) => getClient().getRegisteredModel(...a);
export const renameRegisteredModel = async (...a: Parameters<C['renameRegisteredModel']>) => getClient().renameRegisteredModel(...a);
export const updateRegisteredModel = async (...a: Parameters<C['updateRegisteredModel']>) => getClient().updateRegisteredModel(...a);
export const deleteRegisteredModel = async (...a: Parameters<C['deleteRegisteredModel']>) => getClient().deleteRegisteredModel(...a);
export const searchRegisteredModels = async (...a: Parameters<C['searchRegisteredModels']>) => getClient().searchRegisteredModels(...a);
export const setRegisteredModelTag = async (...a: Parameters<C['setRegisteredModelTag']>) => getClient().setRegisteredModelTag(...a);
export const deleteRegisteredModelTag = async (...a: Parameters<C['deleteRegisteredModelTag']>) => getClient().deleteRegisteredModelTag(...a);
export const getModelVersion = async (...a: Parameters<C['getModelVersion']>) => getClient().getModelVersion(...a);
export const updateModelVersion = async (...a: Parameters<C['updateModelVersion']>) => getClient().updateModelVersion(...a);
export const deleteModelVersion = async (...a: Parameters<C['deleteModelVersion']>) => getClient().deleteModelVersion(...a);
export const transitionModelVersionStage = async (...a: Parameters<C['transitionModelVersionStage']>) => getClient().transitionModelVersionStage(...a);
export const getLatestVersions = async (...a: Parameters<C['getLatestVersions']>) => getClient().getLatestVersions(...a);
export const searchModelVersions = async (...a: Parameters<C['searchModelVersions']>) => getClient().searchModelVersions(...a);
export const setModelVersionTag = async (...a: Parameters<C['setModelVersionTag']>) => getClient().setModelVersionTag(...a);
export const deleteModelVersionTag = async (...a: Parameters<C['deleteModelVersionTag']>) => getClient().deleteModelVersionTag(...a);
export const setRegisteredModelAlias = async (...a: Parameters<C['setRegisteredModelAlias']>) => getClient().setRegisteredModelAlias(...a);
export const deleteRegisteredModelAlias = async (...a: Parameters<C['deleteRegisteredModelAlias']>) => getClient().deleteRegisteredModelAlias(...a);
export const getModelVersionByAlias = async (...a: Parameters<C['getModelVersionByAlias']>) => getClient().getModelVersionByAlias(...a);
