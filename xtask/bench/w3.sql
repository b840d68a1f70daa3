-- W3: the first 20 units of Quảng Nam's subtree (path /VN/49/…) whose folded search key
-- contains "tam", shallowest first then by code, with their total count.
SELECT code, name, count(*) OVER () AS total_count
FROM unit
WHERE path >= '/VN/49/' AND path < '/VN/490' AND search_key LIKE '%tam%'
ORDER BY depth, code
LIMIT 20;
