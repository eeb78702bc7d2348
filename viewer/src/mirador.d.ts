/** The slice of Mirador 4's public API our code uses (the package ships no type declarations). */
declare module 'mirador' {
  import type { ComponentType, ReactNode } from 'react';

  export interface Action {
    type: string;
    [key: string]: unknown;
  }
  /** Mirador's store runs redux-thunk, so functions may be dispatched too. */
  export type Thunk = (dispatch: Dispatch, getState: () => unknown) => void;
  export type Dispatch = (a: Action | Thunk) => unknown;
  export interface MiradorStore {
    getState(): unknown;
    dispatch(action: Action | Thunk): unknown;
    subscribe(listener: () => void): () => void;
  }
  export interface MiradorInstance {
    store: MiradorStore;
    unmount(): void;
  }
  export interface Plugin {
    target?: string;
    mode?: 'add' | 'wrap';
    name?: string;
    companionWindowKey?: string;
    component: ComponentType<never>;
    mapStateToProps?(state: never, props: never): object;
    mapDispatchToProps?(dispatch: Dispatch, props: never): object;
  }
  export function viewer(config: object, plugins: Plugin[]): MiradorInstance;

  export function updateWindow(windowId: string, payload: object): Action;
  export function updateConfig(config: object): Action;
  /** Opens a companion window (a side panel), or updates the one at `position: 'left'`. */
  export function addOrUpdateCompanionWindow(windowId: string, payload: { content: string; position: string }): Thunk;
  export function setCanvas(windowId: string, canvasId: string): Action;
  export function requestCanvasAnnotations(windowId: string, canvasId: string): Action;
  export function fetchSearch(windowId: string, companionWindowId: string, searchId: string, query: string): Action;

  export function getManifestSearchService(state: unknown, props: { windowId: string }): { id: string } | null;
  export function getCompanionWindowIdsForPosition(state: unknown, props: { position: string; windowId: string }): string[];

  export interface OsdPoint {
    x: number;
    y: number;
    clone(): OsdPoint;
  }
  export interface OsdRect {
    x: number;
    y: number;
    width: number;
    height: number;
    degrees?: number;
    clone(): OsdRect;
  }
  /** The bits of an OpenSeadragon.Viewer we touch; Mirador owns the instance. */
  export interface OsdViewer {
    element: HTMLElement;
    /** The element OpenSeadragon draws in and tracks the pointer on. */
    canvas: HTMLElement;
    viewport: {
      pixelFromPoint(point: OsdPoint, current?: boolean): OsdPoint;
      getCenter(current?: boolean): OsdPoint;
      getBounds(current?: boolean): OsdRect;
      fitBounds(rect: OsdRect, immediately?: boolean): void;
    };
    world: { getItemCount(): number; addOnceHandler(event: string, handler: () => void): void };
    addHandler(event: string, handler: () => void): void;
    removeHandler(event: string, handler: () => void): void;
  }
  export const OSDReferences: {
    get(windowId: string): { current?: OsdViewer | null } | undefined;
  };

  export const ConnectedCompanionWindow: ComponentType<{
    id: string;
    windowId: string;
    title?: ReactNode;
    titleControls?: ReactNode;
    children?: ReactNode;
  }>;
}
