-- W2: Phường An Mỹ (20341) with the chain above it up to the viewer's province (Quảng Nam,
-- path /VN/49/): the unit, its parent and grandparent, nearest last. The name and kind give
-- the full name; the chain gives both `parent` and `ancestors`.
WITH RECURSIVE up AS (
    SELECT id, parent_id, code, name, kind, depth
    FROM unit
    WHERE code = '20341' AND path >= '/VN/49/' AND path < '/VN/490'
  UNION ALL
    SELECT p.id, p.parent_id, p.code, p.name, p.kind, p.depth
    FROM unit p JOIN up ON p.id = up.parent_id
    WHERE p.path >= '/VN/49/' AND p.path < '/VN/490'
)
SELECT code, name, kind FROM up ORDER BY depth;
