// GET|POST /api/auth/*: Auth.js sign-in, callback and sign-out handlers.
import { handlers } from "@/lib/auth/config";
import { withSignInFailureReason } from "@/lib/auth/sign-in-failure";

export const GET = withSignInFailureReason(handlers.GET);
export const POST = withSignInFailureReason(handlers.POST);
