// Types of punchout-engine. The engine's own types (sessions, carts, pages, errors) are the
// component's, generated from its WIT by jco into `generated/`; this file turns each
// interface's functions into the promise-returning functions of an Engine.

import type * as Config from '../generated/interfaces/punchout-engine-config.js';
import type * as Cxml from '../generated/interfaces/punchout-engine-cxml.js';
import type * as Oci from '../generated/interfaces/punchout-engine-oci.js';
import type * as Orders from '../generated/interfaces/punchout-engine-orders.js';
import type * as Types from '../generated/interfaces/punchout-engine-types.js';
import type { EngineInterfaces } from '../generated/engine.js';

export type { Config, Cxml, Oci, Orders, Types };
export type ErrorCode = Types.ErrorCode;
export type Location = Types.Location;
export type Session = Types.Session;
export type Cart = Types.Cart;
export type CartLine = Types.CartLine;
export type Envelope = Types.Envelope;

/** A JSON value, as the order functions read and return them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

type EngineArgument<T> = T extends Config.BuyerProfile
  ? BuyerProfile
  : T extends Array<Config.BuyerProfile>
    ? BuyerProfile[]
    : T extends Uint8Array
      ? Uint8Array | string | Json
      : T;

/**
 * The functions of one interface, each returning a promise. Bytes may be given as a string
 * (UTF-8) and, for a `…Json` parameter, as the value itself; results the WIT says are JSON
 * (`JsonResults`) come decoded.
 */
export type Promised<Api, JsonResults extends PropertyKey = never> = {
  readonly [K in keyof Api as Api[K] extends (...args: any[]) => any ? K : never]: Api[K] extends (
    ...args: infer A
  ) => infer R
    ? (...args: { [I in keyof A]: EngineArgument<A[I]> }) => Promise<K extends JsonResults ? Json : R>
    : never;
};

/** The engine's refusal of its input: `code` says why, `location` where. */
export class PunchoutError extends Error {}
export class RejectedError extends PunchoutError {
  readonly code: ErrorCode;
  readonly location: Location;
  /** For a profile read from a file: the file the error is about. */
  file?: string;
}
export class MalformedXmlError extends RejectedError {}
export class ForbiddenXmlError extends RejectedError {}
export class UnsupportedEncodingError extends RejectedError {}
export class LimitExceededError extends RejectedError {}
export class InvalidDocumentError extends RejectedError {}
export class InvalidValueError extends RejectedError {}
export class UnknownBuyerError extends RejectedError {}
export class AuthenticationFailedError extends RejectedError {}
export class ReturnUrlNotAllowedError extends RejectedError {}
export class UnsupportedOperationError extends RejectedError {}
export class InvalidProfileError extends RejectedError {}
export class InvalidCartError extends RejectedError {}
export class InvalidSessionError extends RejectedError {}
export class InvalidOrderError extends RejectedError {}
/** The guest stopped; the next call runs on a new instance. */
export class TrapError extends PunchoutError {}
/** A call ran past its deadline; the next call runs on a new worker. */
export class DeadlineExceededError extends TrapError {}
/** The engine is closed, or was used wrongly. */
export class HostError extends PunchoutError {}
export const ERROR_CODES: readonly ErrorCode[];
/** The engine's function table, generated from its WIT. */
export const FUNCTIONS: Readonly<Record<string, Readonly<Record<string, FunctionInfo>>>>;

export interface FunctionInfo {
  readonly wit: string;
  readonly params: ReadonlyArray<{ readonly name: string; readonly wit: string; readonly type: string }>;
  readonly result: string;
  readonly fallible: boolean;
}

/** A buyer profile compiled in an engine. */
export class BuyerProfile {
  private constructor();
  /** The profile's id, as stored in sessions. */
  readonly id: string;
  /** The profile as normalised JSON, with secret references but never secret values. */
  toJson(): Promise<string>;
  /** Maps one cart line as a cart return would, and explains every value. */
  preview(line: CartLine, currency: string): Promise<Config.LinePreview>;
  /** Frees the profile in the engine. */
  close(): Promise<void>;
}

export interface EngineOptions {
  /** Wall-clock budget of one call, in milliseconds (5000). */
  callDeadlineMs?: number;
  /** The guest's memory cap, in bytes (256 MiB). */
  memoryLimitBytes?: number;
  /** The worker's JavaScript heap, in MiB (64). */
  workerHeapMb?: number;
}

/** The PunchOut engine, in a worker thread of this process. */
export interface Engine extends EngineInterfaces {}
export class Engine {
  constructor(options?: EngineOptions);
  /** The wall-clock budget of each call from now on, in milliseconds. */
  callDeadlineMs: number;
  /** Compiles a buyer profile with the secrets its references name. */
  compileProfile(
    profileJson: string | Json,
    secrets?: Record<string, string> | Config.ResolvedSecret[],
  ): Promise<BuyerProfile>;
  /**
   * Compiles the buyer profile in `file`, its `extends` resolved from the file's own folder;
   * errors about the files carry `file`.
   */
  compileProfileFile(
    file: string,
    secrets?: Record<string, string> | Config.ResolvedSecret[],
  ): Promise<BuyerProfile>;
  /** Stops the worker; later calls reject with HostError. */
  close(): Promise<void>;
}
