-- Sending as CM documents it (issue 16, points 5, 6 and 9; docs/auto-replies.md "Before every send").
--
-- allowed_channels: what goes into the send API's allowedChannels, decided when the intent is written: the
-- message's channel mapped to the send API's name ("Apple Messages for Business" -> "Apple Business Chat"), else
-- the handler's allowed_channels setting. NULL on rows written before this migration: the sender maps channel then.
--
-- 'skipped': the send was checked just before CM would have been called and not made. skip_reason says why:
--   window_closed      the channel's conversation window closed (seed 003: "In general this time window is 24 hours")
--   twitter_allotment  5 messages already went to this customer on Twitter since their last message (seed 001)
--   no_channel         no allowedChannels name could be found for the message
-- A skipped row was never sent, so it is neither refused (reporting.delivery_funnel_daily.send_refused) nor a
-- send failure in `moctl status`.
ALTER TABLE outbound_messages
    ADD COLUMN allowed_channels text[],
    ADD COLUMN skip_reason      text,
    DROP CONSTRAINT outbound_messages_send_state_check,
    ADD CONSTRAINT outbound_messages_send_state_check
        CHECK (send_state IN ('intent', 'accepted', 'rejected', 'failed', 'skipped')),
    ADD CONSTRAINT outbound_messages_skip_reason_check
        CHECK ((send_state = 'skipped') = (skip_reason IS NOT NULL)
               AND skip_reason IN ('window_closed', 'twitter_allotment', 'no_channel')),
    -- Never an empty name: CM would read allowedChannels [""] as no channel at all.
    ADD CONSTRAINT outbound_messages_allowed_channels_check
        CHECK (cardinality(allowed_channels) > 0 AND array_position(allowed_channels, '') IS NULL);

COMMENT ON COLUMN outbound_messages.allowed_channels IS 'The send API''s allowedChannels for this message (NULL on rows older than migration 0010: derived from channel).';
COMMENT ON COLUMN outbound_messages.skip_reason IS 'Why a send was not made (send_state skipped): window_closed, twitter_allotment or no_channel.';
COMMENT ON COLUMN reporting.auto_reply_responses.send_state IS 'The reply''s send state: intent, accepted, rejected, failed, skipped (a check before sending refused it: outbound_messages.skip_reason); NULL for a skip decision.';
