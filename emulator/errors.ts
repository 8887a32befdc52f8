// LinkedIn's API error bodies: `{status, serviceErrorCode, code, message}`.

import type { Headers } from "./http";

/** An error that the API returns to the client as a JSON body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Headers = {},
  ) {
    super(typeof body.message === "string" ? body.message : String(status));
  }
}

export function invalidAccessToken(): ApiError {
  return new ApiError(401, {
    status: 401,
    serviceErrorCode: 65600,
    code: "INVALID_ACCESS_TOKEN",
    message: "Invalid access token",
  });
}

export function revokedAccessToken(): ApiError {
  return new ApiError(401, {
    status: 401,
    serviceErrorCode: 65601,
    code: "REVOKED_ACCESS_TOKEN",
    message: "The token used in the request has been revoked by the user",
  });
}

/**
 * Builds the 403 for a missing scope or page role. The resource is named as
 * `<resource>.<METHOD>.<version>`, with the version as YYYYMMDD or
 * `NO_VERSION` for the unversioned /v2 routes.
 */
export function accessDenied(resource: string, version: string): ApiError {
  return new ApiError(403, {
    status: 403,
    serviceErrorCode: 100,
    code: "ACCESS_DENIED",
    message: `Not enough permissions to access: ${resource}.GET.${version}`,
  });
}

export function versionMissing(): ApiError {
  return new ApiError(400, {
    status: 400,
    code: "VERSION_MISSING",
    message:
      "A version must be present. Please specify a version by adding the " +
      "LinkedIn-Version header.",
  });
}

export function versionInactive(version: string): ApiError {
  return new ApiError(426, {
    status: 426,
    code: "NONEXISTENT_VERSION",
    message: `Requested version ${version} is not active`,
  });
}

/**
 * Builds the 400 for a malformed query parameter.
 * NOTE: only the status and `code` are confirmed from real responses; the
 * message and `errorDetails` shape follow LinkedIn's usual validation body.
 */
export function paramInvalid(param: string, detail: string): ApiError {
  return new ApiError(400, {
    status: 400,
    code: "PARAM_INVALID",
    message: `Invalid param. Please see errorDetails for more information.`,
    errorDetails: {
      inputErrors: [
        {
          code: "PARAM_INVALID",
          description: detail,
          input: { inputPath: { fieldPath: param } },
        },
      ],
    },
  });
}

export function notFound(message = "Not Found"): ApiError {
  return new ApiError(404, { status: 404, code: "NOT_FOUND", message });
}

export function throttled(headers: Headers): ApiError {
  return new ApiError(
    429,
    {
      status: 429,
      serviceErrorCode: 101,
      message:
        "Resource level throttle limit for calls to this resource is reached.",
    },
    headers,
  );
}
