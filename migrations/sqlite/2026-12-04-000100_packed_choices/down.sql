-- The packed choices back as one row per answer, in the order they were packed.
WITH RECURSIVE parts(response_id, rest, part, n) AS (
    SELECT id, choices || ';', '', -1 FROM responses WHERE choices <> ''
    UNION ALL
    SELECT response_id,
           substr(rest, instr(rest, ';') + 1),
           substr(rest, 1, instr(rest, ';') - 1),
           n + 1
    FROM parts WHERE rest <> ''
)
INSERT INTO answers (response_id, item_code, seq, value, text_value)
SELECT response_id,
       substr(part, 1, instr(part, '=') - 1),
       ROW_NUMBER() OVER (PARTITION BY response_id, substr(part, 1, instr(part, '=') - 1) ORDER BY n) - 1,
       CAST(substr(part, instr(part, '=') + 1) AS INTEGER),
       NULL
FROM parts WHERE n >= 0;
ALTER TABLE responses DROP COLUMN choices;
