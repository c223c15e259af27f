-- CreateTable
CREATE TABLE "TallyCell" (
    "driveId" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL,
    "printableFrom" TEXT NOT NULL,
    "eligible" INTEGER NOT NULL DEFAULT 0,
    "recorded" INTEGER NOT NULL DEFAULT 0,
    "absent" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "notEligible" INTEGER NOT NULL DEFAULT 0,
    "printed" INTEGER NOT NULL DEFAULT 0,
    "ikdActivated" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TallyCell_pkey" PRIMARY KEY ("driveId","schoolId","printableFrom")
);

-- CreateTable
CREATE TABLE "TallyDay" (
    "driveId" TEXT NOT NULL,
    "schoolId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "recorded" INTEGER NOT NULL DEFAULT 0,
    "printed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TallyDay_pkey" PRIMARY KEY ("driveId","schoolId","date")
);

-- CreateIndex
CREATE INDEX "TallyDay_driveId_date_idx" ON "TallyDay"("driveId", "date");

-- AddForeignKey
ALTER TABLE "TallyCell" ADD CONSTRAINT "TallyCell_driveId_fkey" FOREIGN KEY ("driveId") REFERENCES "Drive"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TallyCell" ADD CONSTRAINT "TallyCell_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TallyDay" ADD CONSTRAINT "TallyDay_driveId_fkey" FOREIGN KEY ("driveId") REFERENCES "Drive"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TallyDay" ADD CONSTRAINT "TallyDay_schoolId_fkey" FOREIGN KEY ("schoolId") REFERENCES "School"("id") ON DELETE CASCADE ON UPDATE CASCADE;

