-- W1: the first 20 children of Quảng Nam (code 49) by code, with their total count.
SELECT u.code, u.name, count(*) OVER () AS total_count
FROM unit u
WHERE u.parent_id = (SELECT id FROM unit WHERE code = '49')
ORDER BY u.code
LIMIT 20;
