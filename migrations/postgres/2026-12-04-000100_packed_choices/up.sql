-- Each response's choice answers packed on its own row ("CC1=5;Q9=1;Q9=3",
-- items in code order, a multiple choice's values in the order given): a
-- submission then writes one row instead of one per answer, and an export
-- reads one row per response. The answers table keeps the free-text answers
-- only. Filled here from the answers stored before, which then go.
ALTER TABLE responses ADD COLUMN choices TEXT NOT NULL DEFAULT '';
UPDATE responses r SET choices = s.packed
FROM (
    SELECT response_id,
           string_agg(item_code || '=' || value, ';' ORDER BY item_code COLLATE "C", seq) AS packed
    FROM answers
    WHERE value IS NOT NULL
    GROUP BY response_id
) s
WHERE s.response_id = r.id;
DELETE FROM answers WHERE value IS NOT NULL;
