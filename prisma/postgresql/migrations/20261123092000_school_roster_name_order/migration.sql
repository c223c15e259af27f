-- DropIndex
DROP INDEX "Student_schoolId_nameSearch_idx";

-- CreateIndex
CREATE INDEX "Student_schoolId_nameSearch_id_idx" ON "Student"("schoolId", "nameSearch", "id");
