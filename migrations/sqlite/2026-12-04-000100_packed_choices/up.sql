-- Each response's choice answers packed on its own row ("CC1=5;Q9=1;Q9=3",
-- items in code order, a multiple choice's values in the order given): a
-- submission then writes one row instead of one per answer, and an export
-- reads one row per response. The answers table keeps the free-text answers
-- only. Filled here from the answers stored before, which then go.
ALTER TABLE responses ADD COLUMN choices TEXT NOT NULL DEFAULT '';
UPDATE responses SET choices = COALESCE((
    SELECT group_concat(a.item_code || '=' || a.value, ';' ORDER BY a.item_code, a.seq)
    FROM answers a
    WHERE a.response_id = responses.id AND a.value IS NOT NULL
), '');
DELETE FROM answers WHERE value IS NOT NULL;
