-- Failed web logins by user name, for the lockout after repeated failures (`store::sessions`):
-- kept in the database so every `rasoat serve` process over it counts the same attempts.
-- Rows older than the lockout window are pruned as new failures arrive.
create table login_failure (
    username text not null,
    at text not null
);
create index login_failure_username on login_failure (username, at);
create index login_failure_at on login_failure (at);
