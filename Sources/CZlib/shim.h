#ifndef PAKN_ZLIB_SHIM_H
#define PAKN_ZLIB_SHIM_H
// zlib's init functions are macros (they pass the library version and the stream's size),
// which Swift cannot import: these wrappers are what PaknStore calls (PackedText).
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

// A reusable inflate stream: its state and window stay allocated between values.
typedef struct pakn_inflater { z_stream z; } pakn_inflater;

static inline pakn_inflater *pakn_inflater_new(void) {
    pakn_inflater *f = (pakn_inflater *)calloc(1, sizeof *f);
    if (f == NULL) return NULL;
    if (inflateInit2(&f->z, -15) != Z_OK) { free(f); return NULL; }
    return f;
}

static inline void pakn_inflater_free(pakn_inflater *f) {
    if (f == NULL) return;
    inflateEnd(&f->z);
    free(f);
}

// Inflates one raw deflate stream (no zlib header) read against a preset dictionary into
// `out`. Returns the number of bytes written; -1 when `out` is too small (call again with
// more room); -2 when the input is not one complete, valid stream with nothing after it;
// -3 when zlib itself failed (memory).
static inline long pakn_inflater_run(pakn_inflater *f, const unsigned char *dict, unsigned dictLen,
                                     const unsigned char *in, unsigned long inLen,
                                     unsigned char *out, unsigned long outCap) {
    z_stream *z = &f->z;
    if (inflateReset(z) != Z_OK) return -3;
    if (dictLen > 0 && inflateSetDictionary(z, dict, dictLen) != Z_OK) return -3;
    z->next_in = (unsigned char *)in;
    z->avail_in = (uInt)inLen;
    z->next_out = out;
    z->avail_out = (uInt)outCap;
    int r = inflate(z, Z_FINISH);
    long n = (long)(outCap - z->avail_out);
    if (r == Z_STREAM_END) return z->avail_in == 0 ? n : -2;
    if ((r == Z_BUF_ERROR || r == Z_OK) && z->avail_out == 0) return -1;
    return -2;
}

// zlib's own raw deflate with a preset dictionary (level 9): what the tests compare pakn's
// encoder with. Returns the compressed size, or -1.
static inline long pakn_deflate_raw(const unsigned char *dict, unsigned dictLen,
                                    const unsigned char *in, unsigned long inLen,
                                    unsigned char *out, unsigned long outCap) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    if (dictLen > 0 && deflateSetDictionary(&z, dict, dictLen) != Z_OK) { deflateEnd(&z); return -1; }
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)inLen;
    z.next_out = out;
    z.avail_out = (uInt)outCap;
    int r = deflate(&z, Z_FINISH);
    long n = (long)(outCap - z.avail_out);
    deflateEnd(&z);
    return r == Z_STREAM_END ? n : -1;
}
#endif
