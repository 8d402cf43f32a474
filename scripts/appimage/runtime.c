/*
 * A small AppImage (type 2) runtime for the Chorus desktop app, built from Debian's
 * packages only (scripts/appimage-debian.sh) where the upstream runtime cannot be
 * downloaded. The file is this ELF followed by a squashfs image of the AppDir.
 * Running it mounts the image with squashfuse when it is installed, or extracts it
 * with unsquashfs into a temporary directory (also with APPIMAGE_EXTRACT_AND_RUN=1),
 * then runs AppRun. `--appimage-extract` unpacks to ./squashfs-root,
 * `--appimage-offset` prints where the image starts.
 * Unlike the upstream runtime it needs squashfuse or unsquashfs on the host.
 * (Debian 12's unsquashfs 4.5 has no -offset: the image is copied out first.)
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* The image starts where the ELF ends: after its section header table. */
static long long elf_size(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    Elf64_Ehdr h;
    size_t n = fread(&h, 1, sizeof h, f);
    fclose(f);
    if (n != sizeof h || memcmp(h.e_ident, ELFMAG, SELFMAG) != 0 || h.e_ident[EI_CLASS] != ELFCLASS64) return -1;
    return (long long)h.e_shoff + (long long)h.e_shentsize * h.e_shnum;
}

/* Runs argv to its end; the exit status, or 127 when it could not start. */
static int run(char *const argv[]) {
    pid_t pid = fork();
    if (pid < 0) return 127;
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return 127;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static int quiet_run(char *const argv[]) {
    pid_t pid = fork();
    if (pid < 0) return 127;
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen("/dev/null", "w", stderr);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return 127;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* The image alone, copied out of this file (for unsquashfs). */
static int copy_image(const char *self, long long offset, const char *to) {
    FILE *in = fopen(self, "rb");
    FILE *out = fopen(to, "wb");
    int ok = in && out && fseeko(in, (off_t)offset, SEEK_SET) == 0;
    char buf[1 << 16];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
    if (in) fclose(in);
    if (out && fclose(out) != 0) ok = 0;
    return ok ? 0 : -1;
}

/* Unpacks the image into `dest`. */
static int extract(const char *self, long long offset, const char *scratch, const char *dest, int quiet) {
    char image[PATH_MAX];
    snprintf(image, sizeof image, "%s/image.squashfs", scratch);
    if (copy_image(self, offset, image) != 0) return 1;
    char *unsquash_q[] = {"unsquashfs", "-q", "-n", "-f", "-d", (char *)dest, image, NULL};
    char *unsquash[] = {"unsquashfs", "-f", "-d", (char *)dest, image, NULL};
    int code = quiet ? quiet_run(unsquash_q) : run(unsquash);
    unlink(image);
    return code;
}

static int start_app(const char *self, const char *root, int argc, char **argv) {
    char apprun[PATH_MAX];
    snprintf(apprun, sizeof apprun, "%s/AppRun", root);
    setenv("APPIMAGE", self, 1);
    setenv("APPDIR", root, 1);
    setenv("ARGV0", argv[0], 1);
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) return 127;
    args[0] = apprun;
    for (int i = 1; i < argc; i++) args[i] = argv[i];
    return run(args);
}

int main(int argc, char **argv) {
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) {
        perror("appimage: /proc/self/exe");
        return 1;
    }
    self[len] = '\0';
    long long offset = elf_size(self);
    if (offset <= 0) {
        fprintf(stderr, "appimage: cannot read the runtime's ELF header\n");
        return 1;
    }
    char off[32];
    snprintf(off, sizeof off, "%lld", offset);

    if (argc > 1 && strcmp(argv[1], "--appimage-offset") == 0) {
        printf("%s\n", off);
        return 0;
    }
    char dir[] = "/tmp/.mount_ChorusXXXXXX";
    if (!mkdtemp(dir)) {
        perror("appimage: mkdtemp");
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "--appimage-extract") == 0) {
        int code = extract(self, offset, dir, "squashfs-root", 0);
        rmdir(dir);
        return code;
    }
    const char *extract_env = getenv("APPIMAGE_EXTRACT_AND_RUN");
    if (!extract_env || strcmp(extract_env, "1") != 0) {
        char option[64];
        snprintf(option, sizeof option, "offset=%s,ro", off);
        char *mount[] = {"squashfuse", "-o", option, self, dir, NULL};
        if (quiet_run(mount) == 0) {
            int code = start_app(self, dir, argc, argv);
            char *umount3[] = {"fusermount3", "-u", dir, NULL};
            char *umount[] = {"fusermount", "-u", dir, NULL};
            if (quiet_run(umount3) != 0) quiet_run(umount);
            rmdir(dir);
            return code;
        }
    }
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s/root", dir);
    if (extract(self, offset, dir, root, 1) != 0) {
        fprintf(stderr, "appimage: neither squashfuse nor unsquashfs could open the image (install squashfuse or squashfs-tools)\n");
        rmdir(dir);
        return 1;
    }
    int code = start_app(self, root, argc, argv);
    char *rm[] = {"rm", "-rf", dir, NULL};
    quiet_run(rm);
    return code;
}
