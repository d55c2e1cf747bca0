"""LPA (การประเมินประสิทธิภาพขององค์กรปกครองส่วนท้องถิ่น) results and the performance bonus
(ก.ท.จ.) scored from them. Two sub-domains: `results/` (the five areas, imported as a province
prints them) and `bonus/` (part 1 entered, part 2 from the LPA percentage by the year's rule);
bonus reads results, results never reads bonus."""
