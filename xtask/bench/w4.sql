-- W4: the first 20 districts of Quảng Nam by code, each with its first 5 communes by code
-- and its number of communes.
SELECT d.code, d.name, c.code AS child_code, c.name AS child_name, c.total_count
FROM (
    SELECT id, code, name
    FROM unit
    WHERE parent_id = (SELECT id FROM unit WHERE code = '49')
    ORDER BY code
    LIMIT 20
) d
LEFT JOIN LATERAL (
    SELECT code, name, count(*) OVER () AS total_count
    FROM unit
    WHERE parent_id = d.id
    ORDER BY code
    LIMIT 5
) c ON true
ORDER BY d.code, c.code;
