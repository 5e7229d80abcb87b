-- The packed choices back as one row per answer, in the order they were packed.
INSERT INTO answers (response_id, item_code, seq, value, text_value)
SELECT r.id,
       split_part(p.part, '=', 1),
       ROW_NUMBER() OVER (PARTITION BY r.id, split_part(p.part, '=', 1) ORDER BY p.n) - 1,
       split_part(p.part, '=', 2)::INTEGER,
       NULL
FROM responses r, unnest(string_to_array(r.choices, ';')) WITH ORDINALITY AS p(part, n)
WHERE r.choices <> '';
ALTER TABLE responses DROP COLUMN choices;
