;; Go's text-format quoting of bytes (see goFormat.ts) for big values (configs, secrets): 16 bytes at a
;; time with SIMD while all of them print as they are, byte by byte through the escape table otherwise.
;; Assembled by scripts/wasm.mjs into quoteWasmBytes.ts; quoteWasm.ts lays out the memory:
;;   [0, 1024)     per byte value its escaped spelling, packed little-endian in a u32 (1, 2 or 4 chars)
;;   [1024, 1280)  per byte value how many of those chars count
;;   then the input, then room for the output (4 bytes per input byte, plus 3 past the last).
(module
  (memory (export "memory") 1)

  ;; Escapes input[in, in + n) into out; returns the number of bytes written.
  (func (export "quote") (param $in i32) (param $n i32) (param $out i32) (result i32)
    (local $end i32)
    (local $o i32)
    (local $v v128)
    (local $stop i32)
    (local $b i32)
    (local.set $end (i32.add (local.get $in) (local.get $n)))
    (local.set $o (local.get $out))
    (block $words_done
      (loop $words
        (br_if $words_done (i32.gt_u (i32.add (local.get $in) (i32.const 16)) (local.get $end)))
        (local.set $v (v128.load align=1 (local.get $in)))
        (if (v128.any_true
              (v128.or
                (v128.or
                  (i8x16.lt_u (local.get $v) (i8x16.splat (i32.const 0x20)))
                  (i8x16.gt_u (local.get $v) (i8x16.splat (i32.const 0x7e))))
                (v128.or
                  (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))
                  (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c))))))
          (then
            ;; Some byte needs an escape: these 16 go through the table.
            (local.set $stop (i32.add (local.get $in) (i32.const 16)))
            (loop $bytes
              (local.set $b (i32.load8_u (local.get $in)))
              (i32.store align=1 (local.get $o) (i32.load (i32.shl (local.get $b) (i32.const 2))))
              (local.set $o (i32.add (local.get $o) (i32.load8_u offset=1024 (local.get $b))))
              (local.set $in (i32.add (local.get $in) (i32.const 1)))
              (br_if $bytes (i32.lt_u (local.get $in) (local.get $stop)))))
          (else
            (v128.store align=1 (local.get $o) (local.get $v))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (local.set $in (i32.add (local.get $in) (i32.const 16)))))
        (br $words)))
    ;; The last 0-15 bytes.
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $in) (local.get $end)))
        (local.set $b (i32.load8_u (local.get $in)))
        (i32.store align=1 (local.get $o) (i32.load (i32.shl (local.get $b) (i32.const 2))))
        (local.set $o (i32.add (local.get $o) (i32.load8_u offset=1024 (local.get $b))))
        (local.set $in (i32.add (local.get $in) (i32.const 1)))
        (br $tail)))
    (i32.sub (local.get $o) (local.get $out))))
