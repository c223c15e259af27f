-- DropIndex
DROP INDEX "Student_nameSearch_idx";

-- CreateIndex
CREATE INDEX "Student_nameSearch_id_idx" ON "Student"("nameSearch", "id");

