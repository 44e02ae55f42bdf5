/*
 * k8ts-monitor: one small process per started container, like CRI-O's conmon or containerd's shim.
 * It runs the backend's launch command, copies the container's stdout/stderr into the CRI log file
 * and writes what happened into the container's state directory:
 *   started.json  {"pid":N,"startedAt":ns}                      once the container's process runs
 *   exit.json     {"exitCode":N,"finishedAt":ns,"oomKilled":b[,"startError":"..."]}  when it ends
 * Both are written to a temporary name and renamed, so a reader (the shim's inotify watch in
 * launcher.ts, recover.ts after a shim restart) never sees half a file.
 *
 * It runs in its own session and ignores SIGHUP/SIGINT, and it deliberately does not ask for
 * PR_SET_PDEATHSIG: containers outlive the shim, which reads these files again when it comes back.
 * The command runs in its own process group, so the process backend can stop all it forked.
 *
 * Usage: k8ts-monitor --dir <state dir> --log <CRI log file> [--pid-file <file>]
 *                     [--oom-counter <cgroup file>] [--cwd <dir>]
 *                     [--overlay-target <dir> --overlay-options <lowerdir=...,upperdir=...,workdir=...>]
 *                     -- <argv...>
 * With --overlay-target it first mounts the container's overlayfs rootfs there (one mount(2) call,
 * where the shim would otherwise exec mount(8) in CreateContainer); a failed mount is a start error.
 * The command gets the monitor's own environment (the shim starts the monitor with the container's).
 * With --pid-file (runc run --pid-file) the container counts as started once that file names a pid;
 * until then its output is held back, and an exit is a start error explained by runc's logrus line
 * (msg="..."). Without it, the command's own process is the container and runs once exec succeeds.
 *
 * CRI log lines: <RFC3339Nano UTC> <stdout|stderr> <F|P> <content>; F ends a line, P is a 16 KiB
 * piece of a longer line continued by the next entry.
 *
 * Log rotation (CRI ReopenContainerLog): the monitor reads a FIFO <state dir>/ctl; each 'r' written
 * there makes it open the log path again (creating it), so after the node agent renamed the file
 * the entries go to a new one. If that open fails the old file is kept. A writer that finds no
 * reader on the FIFO (ENXIO) knows the monitor, and so the container, is gone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINE 16384
#define READ_CHUNK 65536
/* inotify tells us when runc renames its pid file into place; the poll behind it is a safety net. */
#define PID_FILE_FALLBACK_MS 250

static const char *state_dir, *log_path, *pid_file, *oom_counter, *work_dir, *overlay_target, *overlay_options;
static int log_fd = -1;
static int started;

struct stream {
  const char *name;
  int fd;
  size_t len;
  char pending[MAX_LINE];
};
static struct stream streams[2] = {{.name = "stdout", .fd = -1}, {.name = "stderr", .fd = -1}};

/* Output that arrived before the container counted as started, in arrival order. */
struct chunk {
  int stream;
  size_t len;
  char *data;
};
static struct chunk *early;
static size_t early_count, early_cap;

static unsigned long long now_nanos(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

static int open_log(void) { return open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666); }

/* After a rotation the log path names a new file: write there from now on (CRI ReopenContainerLog). */
static void reopen_log(void) {
  int fd = open_log();
  if (fd < 0) return; /* keep the old file rather than lose entries */
  close(log_fd);
  log_fd = fd;
}

static void write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return; /* a full disk loses log lines, never the container */
    }
    p += w;
    n -= (size_t)w;
  }
}

/* Writes <dir>/<name> as <name>.tmp then renames it, so readers see all of it or nothing. */
static void write_report(const char *name, const char *json) {
  char path[4096], tmp[4096];
  snprintf(path, sizeof path, "%s/%s", state_dir, name);
  snprintf(tmp, sizeof tmp, "%s/%s.tmp", state_dir, name);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return;
  write_all(fd, json, strlen(json));
  close(fd);
  rename(tmp, path);
}

/* One log entry in a single write, so entries of the two streams never interleave mid-line. */
static void emit(struct stream *s, const char *content, size_t n, char tag) {
  unsigned long long ns = now_nanos();
  time_t secs = (time_t)(ns / 1000000000ULL);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char head[96];
  size_t h = strftime(head, sizeof head, "%Y-%m-%dT%H:%M:%S", &tm);
  h += (size_t)snprintf(head + h, sizeof head - h, ".%09lluZ %s %c ", ns % 1000000000ULL, s->name, tag);
  struct iovec iov[3] = {{head, h}, {(void *)content, n}, {"\n", 1}};
  size_t total = h + n + 1;
  for (;;) {
    ssize_t w = writev(log_fd, iov, 3);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 || (size_t)w == total) return;
    /* A short write to a regular file (rare): finish it piece by piece. */
    size_t done = (size_t)w;
    for (int i = 0; i < 3; i++) {
      if (done >= iov[i].iov_len) {
        done -= iov[i].iov_len;
        continue;
      }
      write_all(log_fd, (char *)iov[i].iov_base + done, iov[i].iov_len - done);
      done = 0;
    }
    return;
  }
}

/* Splits a stream into CRI entries: each newline ends an F entry, longer lines go out in P pieces. */
static void push(struct stream *s, const char *data, size_t n) {
  static char work[MAX_LINE + READ_CHUNK];
  memcpy(work, s->pending, s->len);
  memcpy(work + s->len, data, n);
  size_t total = s->len + n, off = 0;
  char *nl;
  while ((nl = memchr(work + off, '\n', total - off)) != NULL) {
    size_t line = (size_t)(nl - (work + off));
    while (line > MAX_LINE) {
      emit(s, work + off, MAX_LINE, 'P');
      off += MAX_LINE;
      line -= MAX_LINE;
    }
    emit(s, work + off, line, 'F');
    off += line + 1;
  }
  while (total - off >= MAX_LINE) {
    emit(s, work + off, MAX_LINE, 'P');
    off += MAX_LINE;
  }
  s->len = total - off;
  memmove(s->pending, work + off, s->len);
}

/* Flushes an unterminated last line. */
static void end_stream(struct stream *s) {
  if (s->len) emit(s, s->pending, s->len, 'F');
  s->len = 0;
}

static void hold(int stream, const char *data, size_t n) {
  if (early_count == early_cap) {
    early_cap = early_cap ? early_cap * 2 : 16;
    early = realloc(early, early_cap * sizeof *early);
    if (!early) abort();
  }
  char *copy = malloc(n);
  if (!copy) abort();
  memcpy(copy, data, n);
  early[early_count++] = (struct chunk){stream, n, copy};
}

static void mark_started(pid_t pid) {
  if (started) return;
  started = 1;
  char json[128];
  snprintf(json, sizeof json, "{\"pid\":%d,\"startedAt\":%llu}", (int)pid, now_nanos());
  write_report("started.json", json);
  for (size_t i = 0; i < early_count; i++) {
    push(&streams[early[i].stream], early[i].data, early[i].len);
    free(early[i].data);
  }
  early_count = 0;
}

static long read_number_after(const char *file, const char *key) {
  char buf[4096];
  int fd = open(file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  const char *p = buf;
  if (key) {
    p = strstr(buf, key);
    if (!p) return 0;
    p += strlen(key);
  }
  return strtol(p, NULL, 10);
}

static long oom_kills(void) {
  return oom_counter ? read_number_after(oom_counter, "oom_kill ") : 0;
}

/* runc writes the container's pid (renamed into place) once the container runs. */
static void check_pid_file(void) {
  if (started || !pid_file) return;
  long pid = read_number_after(pid_file, NULL);
  if (pid > 0) mark_started((pid_t)pid);
}

/* Appends `s` as a JSON string body (without quotes). */
static size_t json_escape(char *out, size_t cap, const char *s) {
  size_t o = 0;
  for (; *s && o + 7 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') {
      out[o++] = '\\';
      out[o++] = (char)c;
    } else if (c < 0x20) {
      o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
    } else {
      out[o++] = (char)c;
    }
  }
  out[o] = 0;
  return o;
}

static void write_exit(int exit_code, unsigned long long finished, int oom, const char *start_error) {
  static char json[16384 + 256];
  int n = snprintf(json, sizeof json, "{\"exitCode\":%d,\"finishedAt\":%llu,\"oomKilled\":%s", exit_code,
                   finished, oom ? "true" : "false");
  if (start_error) {
    n += snprintf(json + n, sizeof json - (size_t)n, ",\"startError\":\"");
    n += (int)json_escape(json + n, sizeof json - (size_t)n - 3, start_error);
    n += snprintf(json + n, sizeof json - (size_t)n, "\"");
  }
  snprintf(json + n, sizeof json - (size_t)n, "}");
  write_report("exit.json", json);
}

/*
 * Why a command ended before it started, in the runtime's words: runc logs
 *   time="..." level=error msg="..."
 * so the first msg="..." wins; otherwise all it printed (trimmed); otherwise its exit code.
 */
static char *start_error_from_output(int exit_code) {
  size_t total = 0;
  for (size_t i = 0; i < early_count; i++) total += early[i].len;
  char *raw = malloc(total + 1), *said = malloc(total + 64);
  if (!raw || !said) abort();
  size_t n = 0;
  for (size_t i = 0; i < early_count; i++) {
    memcpy(raw + n, early[i].data, early[i].len);
    n += early[i].len;
  }
  raw[n] = 0;
  for (const char *m = strstr(raw, "msg=\""); m; m = strstr(m + 1, "msg=\"")) {
    size_t o = 0;
    const char *p = m + 5;
    for (; *p && *p != '"'; p++) {
      if (*p == '\\' && p[1]) {
        p++;
        if (*p != '"') said[o++] = '\\';
      }
      said[o++] = *p;
    }
    if (*p != '"') continue; /* no closing quote: not a logrus message */
    said[o] = 0;
    if (o) {
      free(raw);
      return said;
    }
    snprintf(said, total + 64, "exited with code %d before starting", exit_code);
    free(raw);
    return said;
  }
  char *begin = raw, *end = raw + n;
  while (begin < end && strchr(" \t\r\n\v\f", *begin)) begin++;
  while (end > begin && strchr(" \t\r\n\v\f", end[-1])) end--;
  *end = 0;
  if (begin < end)
    memcpy(said, begin, (size_t)(end - begin) + 1);
  else
    snprintf(said, total + 64, "exited with code %d before starting", exit_code);
  free(raw);
  return said;
}

/* Reads what is there now; returns 0 once the stream is closed. */
static int drain(int index) {
  struct stream *s = &streams[index];
  char buf[READ_CHUNK];
  for (;;) {
    ssize_t n = read(s->fd, buf, sizeof buf);
    if (n > 0) {
      if (started)
        push(s, buf, (size_t)n);
      else
        hold(index, buf, (size_t)n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return 1;
    close(s->fd);
    s->fd = -1;
    return 0;
  }
}

static void usage(void) {
  fprintf(stderr,
          "usage: k8ts-monitor --dir <state dir> --log <file> [--pid-file <file>] "
          "[--oom-counter <file>] [--cwd <dir>] [--overlay-target <dir> --overlay-options <opts>] "
          "-- <argv...>\n");
  exit(2);
}

/* In the forked child: becomes the container's command, or reports why it could not. */
static void run_child(char **argv, int out, int err, int report) {
  setpgid(0, 0);
  /* Signals as a fresh process has them (the monitor ignores some and blocks SIGCHLD). */
  for (int sig = 1; sig < NSIG; sig++) signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0 && devnull != 0) {
    dup2(devnull, 0);
    close(devnull);
  }
  dup2(out, 1);
  dup2(err, 2);
  char msg[4200];
  if (work_dir && chdir(work_dir) != 0) {
    snprintf(msg, sizeof msg, "chdir %s: %s", work_dir, strerror(errno));
  } else {
    execvp(argv[0], argv);
    snprintf(msg, sizeof msg, "exec \"%s\": %s", argv[0], strerror(errno));
  }
  write_all(report, msg, strlen(msg));
  _exit(127);
}

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (i + 1 >= argc) usage();
    if (strcmp(a, "--dir") == 0)
      state_dir = argv[++i];
    else if (strcmp(a, "--log") == 0)
      log_path = argv[++i];
    else if (strcmp(a, "--pid-file") == 0)
      pid_file = argv[++i];
    else if (strcmp(a, "--oom-counter") == 0)
      oom_counter = argv[++i];
    else if (strcmp(a, "--cwd") == 0)
      work_dir = argv[++i];
    else if (strcmp(a, "--overlay-target") == 0)
      overlay_target = argv[++i];
    else if (strcmp(a, "--overlay-options") == 0)
      overlay_options = argv[++i];
    else
      usage();
  }
  if (!state_dir || !log_path || i >= argc || !overlay_target != !overlay_options) usage();
  char **command = argv + i;

  /* A monitor ends only when its container does, whatever its starter's terminal does. */
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  setsid();

  log_fd = open_log();
  if (log_fd < 0) {
    char msg[4200];
    snprintf(msg, sizeof msg, "open log file %s: %s", log_path, strerror(errno));
    write_exit(128, now_nanos(), 0, msg);
    return 0;
  }
  if (overlay_target && mount("overlay", overlay_target, "overlay", 0, overlay_options) != 0) {
    char msg[4200];
    snprintf(msg, sizeof msg, "mount the container's rootfs (overlay on %s): %s", overlay_target, strerror(errno));
    write_exit(128, now_nanos(), 0, msg);
    return 0;
  }
  long oom_before = oom_kills();

  int out[2], err[2], report[2];
  if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) || pipe2(report, O_CLOEXEC)) {
    write_exit(128, now_nanos(), 0, strerror(errno));
    return 0;
  }
  int watch_fd = -1;
  if (pid_file) {
    watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    char *copy = strdup(pid_file);
    if (watch_fd >= 0 && inotify_add_watch(watch_fd, dirname(copy), IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
      close(watch_fd);
      watch_fd = -1; /* the poll alone */
    }
    free(copy);
  }
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, NULL);
  int sig_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  /* Opened read-write, so the FIFO never reports hang-up while no writer has it open. */
  char ctl_path[4200];
  snprintf(ctl_path, sizeof ctl_path, "%s/ctl", state_dir);
  int ctl_fd = -1;
  if (mkfifo(ctl_path, 0600) == 0 || errno == EEXIST) ctl_fd = open(ctl_path, O_RDWR | O_NONBLOCK | O_CLOEXEC);

  pid_t child = fork();
  if (child == 0) run_child(command, out[1], err[1], report[1]);
  if (child < 0) {
    write_exit(128, now_nanos(), 0, strerror(errno));
    return 0;
  }
  setpgid(child, child);
  close(out[1]);
  close(err[1]);
  close(report[1]);
  streams[0].fd = out[0];
  streams[1].fd = err[0];

  /* The report pipe closes on a successful exec; a failed one writes why first. */
  char spawn_error[4200];
  ssize_t n;
  do n = read(report[0], spawn_error, sizeof spawn_error - 1);
  while (n < 0 && errno == EINTR);
  close(report[0]);
  if (n > 0) {
    spawn_error[n] = 0;
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
    }
    write_exit(128, now_nanos(), 0, spawn_error);
    return 0;
  }

  fcntl(out[0], F_SETFL, O_NONBLOCK);
  fcntl(err[0], F_SETFL, O_NONBLOCK);
  if (!pid_file)
    mark_started(child);
  else
    check_pid_file();

  int status = 0, exited = 0;
  while (!exited) {
    struct pollfd fds[5];
    int nfds = 0, at_sig = -1, at_watch = -1, at_ctl = -1, at_stream[2] = {-1, -1};
    for (int s = 0; s < 2; s++)
      if (streams[s].fd >= 0) {
        at_stream[s] = nfds;
        fds[nfds++] = (struct pollfd){streams[s].fd, POLLIN, 0};
      }
    if (sig_fd >= 0) {
      at_sig = nfds;
      fds[nfds++] = (struct pollfd){sig_fd, POLLIN, 0};
    }
    if (ctl_fd >= 0) {
      at_ctl = nfds;
      fds[nfds++] = (struct pollfd){ctl_fd, POLLIN, 0};
    }
    if (!started && watch_fd >= 0) {
      at_watch = nfds;
      fds[nfds++] = (struct pollfd){watch_fd, POLLIN, 0};
    }
    /* Without a signalfd, or while waiting for runc's pid file, wake now and then to look. */
    int timeout = sig_fd < 0 || (!started && pid_file) ? PID_FILE_FALLBACK_MS : -1;
    int ready = poll(fds, (nfds_t)nfds, timeout);
    if (ready < 0 && errno != EINTR) break;
    for (int s = 0; s < 2; s++)
      if (at_stream[s] >= 0 && fds[at_stream[s]].revents) drain(s);
    if (at_ctl >= 0 && fds[at_ctl].revents) {
      char cmds[64];
      ssize_t got;
      int reopen = 0;
      while ((got = read(ctl_fd, cmds, sizeof cmds)) > 0)
        if (memchr(cmds, 'r', (size_t)got)) reopen = 1;
      if (reopen) reopen_log();
    }
    if (at_watch >= 0 && fds[at_watch].revents) {
      char events[4096];
      while (read(watch_fd, events, sizeof events) > 0) {
      }
    }
    if (at_sig >= 0 && fds[at_sig].revents) {
      struct signalfd_siginfo info;
      while (read(sig_fd, &info, sizeof info) > 0) {
      }
    }
    check_pid_file();
    pid_t w = waitpid(child, &status, WNOHANG);
    if (w == child) exited = 1;
  }
  while (!exited && waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  /*
   * Everything the command wrote before it ended is in the pipes now; take that and stop (a
   * background process it left holding the pipes does not keep the container "running").
   */
  for (int s = 0; s < 2; s++)
    if (streams[s].fd >= 0) drain(s);
  /* A container that ran and ended before its pid file was noticed still started. */
  check_pid_file();
  if (ctl_fd >= 0) {
    close(ctl_fd);
    unlink(ctl_path);
  }
  unsigned long long finished = now_nanos();
  int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 128;
  if (!started) {
    write_exit(128, finished, 0, start_error_from_output(exit_code));
    return 0;
  }
  end_stream(&streams[0]);
  end_stream(&streams[1]);
  write_exit(exit_code, finished, oom_kills() > oom_before, NULL);
  return 0;
}
