-- Citizens. Every personal column is an envelope sealed under the citizen's own data key.
CREATE TABLE citizens (
    id          TEXT    PRIMARY KEY,
    key_id      INTEGER NOT NULL REFERENCES data_keys(id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    nickname    BLOB    NOT NULL,
    phone       BLOB,            -- JSON {e164, kind}
    phone_index BLOB,            -- HMAC of the E.164 number under a key derived from the vault key
    case_ref    BLOB,
    sms         BLOB    NOT NULL -- JSON {language, consent, withdrawn_at}
);
CREATE INDEX citizens_phone_index ON citizens(phone_index);
