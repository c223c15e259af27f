-- DropIndex
DROP INDEX "Student_schoolId_className_idx";

-- CreateIndex
CREATE INDEX "Student_schoolId_className_nameSearch_id_idx" ON "Student"("schoolId", "className", "nameSearch", "id");

