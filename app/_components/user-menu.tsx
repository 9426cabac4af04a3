import type { SessionUser } from "@/lib/auth/sessions";

/** Who is signed in, as what, and the way out. Local mode has no sign-out: there is no one else to be. */
export function UserMenu({ user }: { user: SessionUser | null }) {
  if (!user) return null;
  return (
    <div className="user-menu" data-testid="user-menu">
      <span title={user.email ?? undefined}>
        {user.name} · <span className="muted">{user.role}</span>
      </span>
      {user.provider === "local" ? null : (
        <form action="/auth/signout" method="post">
          <button type="submit" className="btn btn-small">
            Sign out
          </button>
        </form>
      )}
    </div>
  );
}
