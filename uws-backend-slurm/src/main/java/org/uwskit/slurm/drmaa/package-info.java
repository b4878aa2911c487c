/**
 * DRMAA2's vocabulary for the SLURM backend: {@link org.uwskit.slurm.drmaa.JobTemplate} (what to submit),
 * {@link org.uwskit.slurm.drmaa.JobInfo} and {@link org.uwskit.slurm.drmaa.JobState} (what the scheduler says),
 * and {@link org.uwskit.slurm.drmaa.JobSession}, the one interface both transports implement (the commands, and
 * slurmrestd). No DRMAA library exists for SLURM in Java; these types keep its words so that another scheduler's
 * transport would fit the same backend.
 */
package org.uwskit.slurm.drmaa;
