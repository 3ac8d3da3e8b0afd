/** A string matcher, or its case-insensitive form (`{ "equals-ignore-case": "x" }`). */
export type StringOperand = string | { readonly "equals-ignore-case": string };

/**
 * One value matcher in an EventBridge pattern array: an exact JSON value or an operator object.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export type PatternMatcher =
  | string
  | number
  | boolean
  | null
  | { readonly prefix: StringOperand }
  | { readonly suffix: StringOperand }
  | { readonly "equals-ignore-case": string }
  | { readonly wildcard: string }
  | { readonly exists: boolean }
  | { readonly numeric: readonly (string | number)[] }
  | { readonly "anything-but": AnythingBut };

/** What `anything-but` excludes: values, or strings by prefix, suffix, wildcard or ignoring case. */
export type AnythingBut =
  | string
  | number
  | readonly (string | number)[]
  | { readonly prefix: string | readonly string[] }
  | { readonly suffix: string | readonly string[] }
  | { readonly wildcard: string | readonly string[] }
  | { readonly "equals-ignore-case": string | readonly string[] };

/**
 * An EventBridge event pattern: nested objects mirror the event, leaves are arrays of matchers (OR),
 * sibling fields AND together, and `$or` holds alternative sub-patterns.
 */
export interface EventPattern {
  readonly [field: string]: readonly PatternMatcher[] | EventPattern | readonly EventPattern[];
}
