// GET|POST /api/auth/*: Auth.js sign-in, callback and sign-out handlers.
import { handlers } from "@/lib/auth/config";
import { withSignInFailureReason } from "@/lib/auth/sign-in-failure";
import { withSignInRateLimit } from "@/lib/auth/sign-in-limit";

export const GET = withSignInRateLimit(withSignInFailureReason(handlers.GET));
export const POST = withSignInRateLimit(withSignInFailureReason(handlers.POST));
