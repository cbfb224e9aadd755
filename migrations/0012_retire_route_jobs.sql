-- The `route` job kind is retired. Ingest evaluates the routes when a request arrives and writes its dispatch jobs
-- in the same statement; workers no longer run route jobs. Routing needs the config's [[routes]], which the
-- database does not know, so this migration cannot turn route jobs left by earlier versions into dispatch jobs by
-- itself: `moctl migrate`, which applies it, converts them right after, with the routes of the config it is given
-- (docs/queue.md). Being pending, this migration makes every upgraded installation run `moctl migrate` once; until
-- then a leftover route job waits untouched, and retention keeps its request.
COMMENT ON COLUMN jobs.kind IS
    'dispatch or media_fetch; route jobs of earlier versions are converted into dispatch jobs by moctl migrate';
