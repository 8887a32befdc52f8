import type { SignInFailureReason } from "@/lib/auth/sign-in-failure";

// What the sign-in page says after a failed sign-in. Each message says what
// happened and what to do next; the page's button is the retry.

/** Messages by the reason Inview adds to the URL (`?reason=`). */
const REASON_MESSAGES: Record<SignInFailureReason, string> = {
  user_cancelled_login:
    "You cancelled the sign-in on LinkedIn, so you are not signed in. Try again when you are ready.",
  user_cancelled_authorize:
    "You chose Cancel on LinkedIn's permission page, so you are not signed in. Try again and choose Allow to continue.",
  unauthorized_scope_error:
    "LinkedIn did not let Inview ask for your name, photo and email, because this app's LinkedIn settings do not include them. Tell your Inview administrator, then try again.",
  state_invalid:
    "This sign-in could not be verified: it was started in another browser or tab, took longer than 15 minutes, or was already used. Try again from this page.",
  code_rejected:
    "LinkedIn rejected the sign-in because its one-time code had expired or was already used. Try again.",
  id_token_invalid:
    "Inview could not verify the identity LinkedIn sent back, so you are not signed in. Try again, and tell your administrator if this keeps happening.",
  linkedin_unavailable:
    "LinkedIn could not be reached or did not respond. Try again in a few minutes.",
};

/** Messages by Auth.js's error code (`?error=`), when no reason is given. */
const ERROR_MESSAGES: Record<string, string> = {
  AccessDenied: "LinkedIn sign-in was not allowed. Try again.",
  OAuthCallbackError:
    "LinkedIn returned an error instead of signing you in. Try again.",
  OAuthSignin:
    "Could not start the LinkedIn sign-in. Check that LinkedIn is reachable and try again.",
  OAuthAccountNotLinked:
    "This email already belongs to another sign-in. Sign in the way you did before.",
  MissingCSRF: "The sign-in form expired. Try again.",
  Configuration:
    "Sign-in failed: LinkedIn could not be reached or rejected the app's settings. Try again in a minute, and tell your administrator if it keeps failing.",
  Verification: "The sign-in link is no longer valid. Try again.",
};

const DEFAULT_MESSAGE = "Sign-in failed. Try again.";

function isReason(value: string): value is SignInFailureReason {
  return Object.hasOwn(REASON_MESSAGES, value);
}

/** Returns the message for the page's `error` and `reason`, or null when there is no error. */
export function signInErrorMessage(
  error: string | undefined,
  reason: string | undefined,
): string | null {
  if (!error) return null;
  if (reason && isReason(reason)) return REASON_MESSAGES[reason];
  return Object.hasOwn(ERROR_MESSAGES, error)
    ? (ERROR_MESSAGES[error] ?? DEFAULT_MESSAGE)
    : DEFAULT_MESSAGE;
}
