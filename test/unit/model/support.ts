// Builds a declared-state model from named SQL files, as the workspace indexes them.

import { analyzeSql } from '../../../server/src/core/lint';
import { Model } from '../../../server/src/core/model/model';
import { Workspace } from '../../../server/src/core/workspace';

/** The model of files (name -> SQL), folded in name order. */
export function modelOf(files: Record<string, string>): Model {
  const ws = new Workspace();
  for (const [name, text] of Object.entries(files)) ws.setFile(`file:///${name}`, analyzeSql(`file:///${name}`, text).facts);
  return ws.model();
}
