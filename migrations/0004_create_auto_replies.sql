-- Auto-replies and operator sends through CM's send API. Every send is first written as an intent row in
-- outbound_messages (committed before the HTTP call), then sent, then the answer is recorded on the same row; the
-- auto_reply handler's decision per inbound message (reply or skip, and why) is kept in auto_replies, unique per
-- message and handler, so a retried or replayed job never decides, or sends, twice. See docs/auto-replies.md.

ALTER TABLE outbound_messages
    -- Who sent it: 'auto_reply' (a handler, named in handler) or 'moctl' (an operator).
    ADD COLUMN origin           text        NOT NULL DEFAULT 'moctl',
    ADD COLUMN handler          text,
    ADD COLUMN inbound_message_id bigint,
    -- The sender (from) the message went out with.
    ADD COLUMN sender           text,
    -- intent: written, not yet known to be accepted (a send is attempted, or was cut off: the one duplicate
    -- window); accepted / rejected: CM's answer; failed: could not be sent (a permanent error before CM took it).
    ADD COLUMN send_state       text        NOT NULL DEFAULT 'intent',
    ADD COLUMN send_attempts    integer     NOT NULL DEFAULT 0,
    ADD COLUMN last_attempt_at  timestamptz,
    ADD COLUMN cm_error_code    integer,
    ADD COLUMN cm_details       text,
    -- CM's response body as received, for inspection.
    ADD COLUMN cm_response      text,
    ADD COLUMN parts            integer,
    ADD CONSTRAINT outbound_messages_origin_check CHECK (origin IN ('auto_reply', 'moctl')),
    ADD CONSTRAINT outbound_messages_send_state_check
        CHECK (send_state IN ('intent', 'accepted', 'rejected', 'failed')),
    ADD CONSTRAINT outbound_messages_inbound_fkey FOREIGN KEY (inbound_message_id) REFERENCES inbound_messages (id);

-- Rate limits and conversation counts look up recent replies per customer.
CREATE INDEX outbound_messages_recipient_idx ON outbound_messages (msisdn_key(recipient), created_at);

-- The auto_reply handler's decision for each inbound message it saw.
CREATE TABLE auto_replies (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inbound_message_id  bigint      NOT NULL,
    handler             text        NOT NULL,
    -- 'reply' (an outbound message was written), 'skip' (nothing sent; reason says why).
    decision            text        NOT NULL,
    -- The rule that chose the reply: a rule's name, 'default', 'stop-confirmation', 'start-confirmation'.
    rule                text,
    reason              text,
    outbound_message_id bigint,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT auto_replies_message_handler_unique UNIQUE (inbound_message_id, handler),
    CONSTRAINT auto_replies_decision_check CHECK (decision IN ('reply', 'skip')),
    CONSTRAINT auto_replies_reply_check CHECK ((decision = 'reply') = (outbound_message_id IS NOT NULL)),
    CONSTRAINT auto_replies_inbound_fkey FOREIGN KEY (inbound_message_id) REFERENCES inbound_messages (id),
    CONSTRAINT auto_replies_outbound_fkey FOREIGN KEY (outbound_message_id) REFERENCES outbound_messages (id)
);

COMMENT ON TABLE auto_replies IS 'What the auto_reply handler decided for each inbound message: reply (with its outbound message) or skip (with the reason).';

-- Customers who said STOP: no auto-reply reaches them until they say START (or an operator removes them).
CREATE TABLE optouts (
    -- msisdn_key() of the customer's number or id.
    number_key          text        PRIMARY KEY,
    number              text        NOT NULL,
    channel             text,
    -- 'keyword' (the customer sent a stop word) or 'moctl' (an operator added it).
    source              text        NOT NULL,
    keyword             text,
    inbound_message_id  bigint,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT optouts_source_check CHECK (source IN ('keyword', 'moctl'))
);

COMMENT ON TABLE optouts IS 'Customers who opted out of auto-replies (STOP), until they opt in again (START).';
