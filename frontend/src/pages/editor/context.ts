// What every part of the editor needs without having it passed down: the
// reducer's dispatch (stable for the page's life) and the server's problems
// by field, in the reader's language (changes only when a save answers).

import { createContext, useContext } from 'react';
import type { Dispatch } from 'react';
import type { Action } from './state';

export interface FieldProblems {
  /** Problems of exactly this field key. */
  get: (key: string) => string[] | undefined;
  /** Whether the key or anything under it has a problem. */
  under: (key: string) => boolean;
}

const noProblems: FieldProblems = { get: () => undefined, under: () => false };

export const DispatchContext = createContext<Dispatch<Action>>(() => {});
export const ProblemsContext = createContext<FieldProblems>(noProblems);

export const useDispatch = () => useContext(DispatchContext);
export const useProblems = () => useContext(ProblemsContext);
