// A thread that reads a log's big entry records ahead of the export and checks them: each record is read
// in 64 KB steps into a buffer that stays in this core's cache, its CRC (and, for a sealed box the caller
// located and gave the one-time key of, its Poly1305 tag) computed step by step, and its first and last
// bytes kept: all that a redacted export prints of a big record, whose middle is the secret or config
// data the text replaces. The export's thread meanwhile prints the records before it, and reads and
// checks a record itself when it gets there first. What is printed is what was checked: the kept bytes
// come from the read that was checked, and a record that needs more is read again (and checked again) by
// the caller. What the thread cannot vouch for (a short read, an I/O error, a CRC or tag that does not
// match) it only reports: the caller then reads and checks that record its own way, which says what is
// wrong exactly as without it.
//
// JS (src/core/wal/recordPrefetch.ts):
//   start(jobs: Float64Array, keys: Uint8Array, headBytes: number, tailBytes: number, keptRecords: number): [handle, kept]
//     jobs: JOB_FIELDS numbers per record (fd, offset, length, previous CRC, expected CRC, box offset in
//     the record or -1, box length); keys: 32 bytes per record (the box's Poly1305 key; wiped here after
//     use). Record j's first headBytes and last tailBytes (all of it, if shorter) are kept at
//     kept[(j % keptRecords) * (headBytes + tailBytes)], the last ones right after the first.
//   take(handle, j): number — returns once record j is read and checked (RECORD_*); the kept bytes of the
//     records before j may then be reused. Records are taken in order.
//   close(handle) — stops and joins the thread and detaches `kept` (views of it become empty).
#include "native.h"
#include <errno.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { JOB_FIELDS = 7, STEP_BYTES = 64 * 1024, TAG_BYTES = 16, MOST_KEPT = 4096 };

/** What take() returns: the caller's own way for anything but the last three. */
enum {
  RECORD_UNCHECKED = 0, /* short read, I/O error, CRC mismatch, or stopped */
  RECORD_CRC_OK = 1,    /* no box to check */
  RECORD_TAG_OK = 2,
  RECORD_TAG_BAD = 3, /* the CRC matched; the key given does not authenticate the box */
};

enum { JOB_WAITING = -1, JOB_CLAIMED = -2 };

typedef struct {
  int fd;
  int64_t offset;
  int64_t length;
  uint32_t previous, expected;
  int64_t box_at, box_length;
  unsigned char key[32];
  int result; /* JOB_WAITING, JOB_CLAIMED, then a RECORD_ value */
} job_t;

typedef struct {
  job_t *jobs;
  size_t count;
  unsigned char *kept; /* kept_count records' first and last bytes, mmap'd */
  size_t kept_bytes;
  size_t head_bytes, tail_bytes, kept_count;
  napi_ref kept_ref;   /* the ArrayBuffer over `kept`, held while the thread may write into it */
  unsigned char *steps[2]; /* the thread's step buffer and the caller's */
  size_t released;     /* the caller is done with every record below this one */
  size_t next;         /* the next record the thread looks at */
  int64_t thread_job;  /* the record the thread is reading, or -1 */
  int stop;
  int running;
  pthread_mutex_t lock;
  pthread_cond_t changed;
  pthread_t thread;
} prefetch_t;

static int stopped(prefetch_t *p) {
  pthread_mutex_lock(&p->lock);
  int stop = p->stop;
  pthread_mutex_unlock(&p->lock);
  return stop;
}

/** Copies the part of step [at, at + n) of the record that falls in [from, to) to out[0, to - from). */
static void keep_part(const unsigned char *step, int64_t at, int64_t n, int64_t from, int64_t to, unsigned char *out) {
  int64_t a = at > from ? at : from;
  int64_t b = at + n < to ? at + n : to;
  if (a < b) memcpy(out + (a - from), step + (a - at), (size_t)(b - a));
}

static int read_and_check(prefetch_t *p, job_t *job, unsigned char *step, unsigned char *kept) {
  if (job->length < 0) return RECORD_UNCHECKED;
  uint32_t crc = job->previous;
  EVP_MAC_CTX *mac = NULL;
  int64_t box_from = -1, box_to = -1;
  if (job->box_at >= 0 && job->box_length >= TAG_BYTES && job->box_at + job->box_length <= job->length && poly1305_mac()) {
    mac = EVP_MAC_CTX_new(poly1305_mac());
    if (mac && EVP_MAC_init(mac, job->key, 32, NULL)) {
      box_from = job->box_at + TAG_BYTES;
      box_to = job->box_at + job->box_length;
    } else {
      EVP_MAC_CTX_free(mac);
      mac = NULL;
    }
  }
  OPENSSL_cleanse(job->key, sizeof job->key);
  int result = RECORD_UNCHECKED;
  unsigned char tag_seen[TAG_BYTES] = {0};
  /* The bytes kept: [0, head_end) and [tail_from, length); a record no longer than head + tail is kept
     whole (its "tail" then starts where its head ends). */
  int64_t head_end = job->length < (int64_t)p->head_bytes ? job->length : (int64_t)p->head_bytes;
  int64_t tail_from = job->length - (int64_t)p->tail_bytes > head_end ? job->length - (int64_t)p->tail_bytes : head_end;
  int64_t done = 0;
  while (done < job->length) {
    if (stopped(p)) goto out;
    size_t want = (size_t)(job->length - done < STEP_BYTES ? job->length - done : STEP_BYTES);
    ssize_t n = pread(job->fd, step, want, (off_t)(job->offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) goto out; /* an error, or the file is shorter than when it was indexed */
    crc = crc32c_update(crc, step, (size_t)n);
    if (mac) {
      int64_t from = done > box_from ? done : box_from;
      int64_t to = done + n < box_to ? done + n : box_to;
      if (from < to && !EVP_MAC_update(mac, step + (from - done), (size_t)(to - from))) {
        EVP_MAC_CTX_free(mac);
        mac = NULL;
      }
    }
    keep_part(step, done, n, 0, head_end, kept);
    keep_part(step, done, n, tail_from, job->length, kept + p->head_bytes);
    if (job->box_at >= done && job->box_at + TAG_BYTES <= done + n) memcpy(tag_seen, step + (job->box_at - done), TAG_BYTES);
    done += n;
  }
  if (crc != job->expected) goto out;
  result = RECORD_CRC_OK;
  if (mac) {
    unsigned char tag[TAG_BYTES];
    size_t tag_length = 0;
    if (EVP_MAC_final(mac, tag, &tag_length, sizeof tag) && tag_length == TAG_BYTES) {
      result = CRYPTO_memcmp(tag, tag_seen, TAG_BYTES) == 0 ? RECORD_TAG_OK : RECORD_TAG_BAD;
    }
    OPENSSL_cleanse(tag, sizeof tag);
  }
out:
  EVP_MAC_CTX_free(mac);
  return result;
}

/** Reads and checks record j (claimed by the caller: no one else touches it or its kept bytes) and says so. */
static void process(prefetch_t *p, size_t j, unsigned char *step) {
  job_t *job = &p->jobs[j];
  int result = read_and_check(p, job, step, p->kept + (j % p->kept_count) * (p->head_bytes + p->tail_bytes));
  pthread_mutex_lock(&p->lock);
  job->result = result;
  if (p->thread_job == (int64_t)j) p->thread_job = -1;
  pthread_cond_broadcast(&p->changed);
  pthread_mutex_unlock(&p->lock);
}

// The thread takes the records in order, never more than kept_count ahead of the caller.
static void *run(void *arg) {
  prefetch_t *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->lock);
    for (;;) {
      if (p->next < p->released) p->next = p->released; /* records the caller is past are not needed */
      while (p->next < p->count && p->jobs[p->next].result != JOB_WAITING) p->next++;
      if (p->stop || p->next >= p->count || p->next < p->released + p->kept_count) break;
      pthread_cond_wait(&p->changed, &p->lock);
    }
    if (p->stop || p->next >= p->count) {
      pthread_mutex_unlock(&p->lock);
      break;
    }
    size_t j = p->next++;
    p->jobs[j].result = JOB_CLAIMED;
    p->thread_job = (int64_t)j;
    pthread_mutex_unlock(&p->lock);
    process(p, j, p->steps[0]);
  }
  return NULL;
}

static void stop_and_join(prefetch_t *p) {
  if (!p->running) return;
  pthread_mutex_lock(&p->lock);
  p->stop = 1;
  pthread_cond_broadcast(&p->changed);
  pthread_mutex_unlock(&p->lock);
  pthread_join(p->thread, NULL);
  p->running = 0;
}

/** Stops the thread, wipes what is left of the keys and lets the memory go (with `env`: detached now). */
static void release(napi_env env, prefetch_t *p) {
  stop_and_join(p);
  pthread_mutex_lock(&p->lock);
  p->stop = 1; /* take() after close reads nothing */
  pthread_mutex_unlock(&p->lock);
  if (p->jobs) {
    for (size_t j = 0; j < p->count; j++) OPENSSL_cleanse(p->jobs[j].key, sizeof p->jobs[j].key);
  }
  if (env && p->kept_ref) {
    napi_value buffer;
    // Detached, every view of the memory is empty: nothing can read it once it is unmapped below.
    if (napi_get_reference_value(env, p->kept_ref, &buffer) == napi_ok && buffer) napi_detach_arraybuffer(env, buffer);
    napi_delete_reference(env, p->kept_ref);
    p->kept_ref = NULL;
  }
}

/** The memory's own finalizer: it goes when the ArrayBuffer does (detached, or collected). */
static void free_memory(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  prefetch_t *p = data;
  release(NULL, p); /* never closed: the thread stops; the memory goes with its ArrayBuffer, released here */
  if (env && p->kept_ref) napi_delete_reference(env, p->kept_ref);
  pthread_mutex_destroy(&p->lock);
  pthread_cond_destroy(&p->changed);
  free(p->jobs);
  free(p->steps[0]);
  free(p->steps[1]);
  free(p);
}

static napi_value fail(napi_env env, const char *message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

static napi_value start(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5) return fail(env, "start(jobs, keys, headBytes, tailBytes, keptRecords) expected");
  bool is_typed_array = false;
  napi_typedarray_type type;
  size_t job_numbers, key_bytes, byte_offset;
  void *job_data, *key_data;
  napi_value backing;
  if (napi_is_typedarray(env, argv[0], &is_typed_array) != napi_ok || !is_typed_array
      || napi_get_typedarray_info(env, argv[0], &type, &job_numbers, &job_data, &backing, &byte_offset) != napi_ok
      || type != napi_float64_array || job_numbers % JOB_FIELDS != 0) {
    return fail(env, "start: jobs must be a Float64Array of 7 numbers per record");
  }
  size_t count = job_numbers / JOB_FIELDS;
  if (!native_uint8_array(env, argv[1], &key_data, &key_bytes) || key_bytes != count * 32) return fail(env, "start: keys must be a Uint8Array of 32 bytes per record");
  double head_bytes, tail_bytes, kept_count;
  if (napi_get_value_double(env, argv[2], &head_bytes) != napi_ok || napi_get_value_double(env, argv[3], &tail_bytes) != napi_ok
      || napi_get_value_double(env, argv[4], &kept_count) != napi_ok || !(head_bytes >= 0 && head_bytes <= 1 << 20)
      || !(tail_bytes >= 0 && tail_bytes <= 1 << 20) || !(kept_count >= 1 && kept_count <= MOST_KEPT) || head_bytes + tail_bytes < 1
      || head_bytes != (double)(size_t)head_bytes || tail_bytes != (double)(size_t)tail_bytes || kept_count != (double)(size_t)kept_count) {
    return fail(env, "start: headBytes and tailBytes must be whole numbers of bytes up to 1 MiB, and keptRecords 1-4096");
  }
  size_t kept_bytes = ((size_t)head_bytes + (size_t)tail_bytes) * (size_t)kept_count;
  unsigned char *kept = mmap(NULL, kept_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (kept == MAP_FAILED) return fail(env, "start: no memory for the kept bytes");
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, kept, kept_bytes, free_memory, (void *)(uintptr_t)kept_bytes, &buffer) != napi_ok) {
    munmap(kept, kept_bytes);
    return fail(env, "start: the kept bytes' memory cannot be given to JS here");
  }
  prefetch_t *p = calloc(1, sizeof *p);
  if (!p) return fail(env, "start: out of memory");
  p->count = count;
  p->kept = kept;
  p->kept_bytes = kept_bytes;
  p->head_bytes = (size_t)head_bytes;
  p->tail_bytes = (size_t)tail_bytes;
  p->kept_count = (size_t)kept_count;
  p->thread_job = -1;
  p->jobs = calloc(count ? count : 1, sizeof *p->jobs);
  p->steps[0] = malloc(STEP_BYTES);
  p->steps[1] = malloc(STEP_BYTES);
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->changed, NULL);
  napi_value handle, view, result;
  if (!p->jobs || !p->steps[0] || !p->steps[1] || napi_create_external(env, p, finalize, NULL, &handle) != napi_ok) {
    finalize(NULL, p, NULL);
    return fail(env, "start: out of memory");
  }
  napi_create_reference(env, buffer, 1, &p->kept_ref);
  const double *numbers = job_data;
  for (size_t j = 0; j < count; j++) {
    const double *f = numbers + j * JOB_FIELDS;
    job_t *job = &p->jobs[j];
    job->fd = (int)f[0];
    job->offset = (int64_t)f[1];
    job->length = (int64_t)f[2];
    job->previous = (uint32_t)f[3];
    job->expected = (uint32_t)f[4];
    job->box_at = (int64_t)f[5];
    job->box_length = (int64_t)f[6];
    memcpy(job->key, (unsigned char *)key_data + j * 32, 32);
    job->result = JOB_WAITING;
    if (job->fd < 0 || job->offset < 0 || job->length < 0) job->length = -1; /* never read: reported unchecked */
  }
  /* Without a thread (it could not start) take() reads every record itself. */
  if (count > 0 && pthread_create(&p->thread, NULL, run, p) == 0) p->running = 1;
  napi_create_typedarray(env, napi_uint8_array, kept_bytes, buffer, 0, &view);
  napi_create_array_with_length(env, 2, &result);
  napi_set_element(env, result, 0, handle);
  napi_set_element(env, result, 1, view);
  return result;
}

static prefetch_t *handle_of(napi_env env, napi_value value) {
  void *data = NULL;
  napi_valuetype kind;
  if (napi_typeof(env, value, &kind) != napi_ok || kind != napi_external || napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return data;
}

static napi_value take(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  uint32_t j;
  prefetch_t *p;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2 || !(p = handle_of(env, argv[0]))
      || napi_get_value_uint32(env, argv[1], &j) != napi_ok || j >= p->count) {
    return fail(env, "take(handle, record) expected, with a record number below the number of records");
  }
  pthread_mutex_lock(&p->lock);
  if (p->stop) {
    pthread_mutex_unlock(&p->lock);
    napi_value none;
    napi_create_int32(env, RECORD_UNCHECKED, &none);
    return none;
  }
  if (j > p->released) {
    p->released = j;
    pthread_cond_broadcast(&p->changed);
  }
  // A record the thread is reading below j may keep its bytes where j's go (only if the caller skipped records).
  while (p->thread_job >= 0 && p->thread_job < (int64_t)j) pthread_cond_wait(&p->changed, &p->lock);
  // Until record j is done: read it here if the thread has not begun it, else read the next one it has
  // not begun (its kept bytes' place is free: the records before it are released), else wait.
  while (p->jobs[j].result < 0) {
    size_t m = j;
    if (p->jobs[j].result != JOB_WAITING) {
      for (m = j + 1; m < p->count && m < p->released + p->kept_count && p->jobs[m].result != JOB_WAITING; m++) {}
      if (m >= p->count || m >= p->released + p->kept_count) {
        pthread_cond_wait(&p->changed, &p->lock);
        continue;
      }
    }
    p->jobs[m].result = JOB_CLAIMED;
    pthread_mutex_unlock(&p->lock);
    process(p, m, p->steps[1]);
    pthread_mutex_lock(&p->lock);
  }
  int result = p->jobs[j].result;
  pthread_mutex_unlock(&p->lock);
  napi_value out;
  napi_create_int32(env, result, &out);
  return out;
}

static napi_value close_prefetch(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  prefetch_t *p;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1 || !(p = handle_of(env, argv[0]))) return fail(env, "close(handle) expected");
  release(env, p);
  return NULL;
}

void record_prefetch_register(napi_env env, napi_value exports) {
  napi_value object, fn;
  napi_create_object(env, &object);
  napi_create_function(env, "start", NAPI_AUTO_LENGTH, start, NULL, &fn);
  napi_set_named_property(env, object, "start", fn);
  napi_create_function(env, "take", NAPI_AUTO_LENGTH, take, NULL, &fn);
  napi_set_named_property(env, object, "take", fn);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, close_prefetch, NULL, &fn);
  napi_set_named_property(env, object, "close", fn);
  napi_set_named_property(env, exports, "recordPrefetch", object);
}
