-- The vault's own key material. Only wrapped keys and non-personal settings live here.
CREATE TABLE vault_meta (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    vault_id              TEXT    NOT NULL,
    created_at            INTEGER NOT NULL,           -- ms since epoch, UTC
    kdf_algorithm         TEXT    NOT NULL,
    kdf_iterations        INTEGER NOT NULL CHECK (kdf_iterations > 0),
    auto_lock_minutes     INTEGER NOT NULL DEFAULT 5,
    failed_pin_attempts   INTEGER NOT NULL DEFAULT 0,
    device_key_name       TEXT    NOT NULL,           -- name of the platform key in the KeyStore
    device_secret_wrapped BLOB    NOT NULL,           -- opaque, wrapped by the KeyStore
    pin_salt              BLOB,                       -- NULL once the PIN wrap is destroyed
    pin_wrap              BLOB,                       -- vault key sealed under the PIN key
    recovery_wrap         BLOB    NOT NULL            -- vault key sealed under the recovery key
);

-- Data keys (per citizen, and one general key for anonymous records), sealed by the vault key.
-- Deleting a row crypto-shreds everything sealed under that key.
CREATE TABLE data_keys (
    id      INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('general', 'citizen')),
    wrapped BLOB NOT NULL
);
