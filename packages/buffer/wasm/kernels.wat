;; The float64 kernels of @heapwise/buffer's WasmHeap, in WebAssembly text with 128-bit SIMD.
;; scripts/build-wasm.mjs compiles this file (with wabt) into src/internal/wasm-kernels.generated.ts.
;;
;; Every address is a byte address in the imported memory; strides are in bytes. The sums and the
;; dot product run exactly the tree of the JavaScript kernels (NumPy's pairwise summation: blocks of
;; at most 128 elements summed with 8 accumulators r0..r7, halves split at multiples of 8), with the
;; 8 accumulators held as 4 f64x2 vectors (r0,r1) (r2,r3) (r4,r5) (r6,r7) and combined as
;; ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)). IEEE addition and multiplication are exact per lane and
;; WebAssembly never fuses a multiply with an add, so every result is bit-for-bit the JavaScript
;; kernels' (NaN payloads aside).
(module
  (import "env" "memory" (memory 1 65536))

  ;; ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) of the accumulators a0..a3.
  (func $combine (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128) (result f64)
    (f64.add
      (f64.add
        (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0)))
        (f64.add (f64x2.extract_lane 0 (local.get $a1)) (f64x2.extract_lane 1 (local.get $a1))))
      (f64.add
        (f64.add (f64x2.extract_lane 0 (local.get $a2)) (f64x2.extract_lane 1 (local.get $a2)))
        (f64.add (f64x2.extract_lane 0 (local.get $a3)) (f64x2.extract_lane 1 (local.get $a3))))))

  ;; Pairwise sum of n unit-stride elements from p.
  (func $sum (param $p i32) (param $n i32) (result f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $e i32) (local $r f64) (local $n2 i32)
    (if (i32.lt_u (local.get $n) (i32.const 8))
      (then
        (local.set $r (f64.const -0))
        (local.set $e (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
          (local.set $r (f64.add (local.get $r) (f64.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br $next)))
        (return (local.get $r))))
    (if (i32.le_u (local.get $n) (i32.const 128))
      (then
        (local.set $a0 (v128.load (local.get $p)))
        (local.set $a1 (v128.load offset=16 (local.get $p)))
        (local.set $a2 (v128.load offset=32 (local.get $p)))
        (local.set $a3 (v128.load offset=48 (local.get $p)))
        (local.set $e (i32.add (local.get $p)
          (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 3))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
          (local.set $a0 (f64x2.add (local.get $a0) (v128.load (local.get $p))))
          (local.set $a1 (f64x2.add (local.get $a1) (v128.load offset=16 (local.get $p))))
          (local.set $a2 (f64x2.add (local.get $a2) (v128.load offset=32 (local.get $p))))
          (local.set $a3 (f64x2.add (local.get $a3) (v128.load offset=48 (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 64)))
          (br $next)))
        (local.set $r (call $combine (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)))
        (local.set $e (i32.add (local.get $e)
          (i32.shl (i32.and (local.get $n) (i32.const 7)) (i32.const 3))))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
          (local.set $r (f64.add (local.get $r) (f64.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (br $next)))
        (return (local.get $r))))
    (local.set $n2 (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -8)))
    (f64.add
      (call $sum (local.get $p) (local.get $n2))
      (call $sum (i32.add (local.get $p) (i32.shl (local.get $n2) (i32.const 3)))
        (i32.sub (local.get $n) (local.get $n2)))))

  ;; Pairwise sum of n elements from p, s bytes apart (any sign, 0 included).
  (func $sums (param $p i32) (param $n i32) (param $s i32) (result f64)
    (local $r0 f64) (local $r1 f64) (local $r2 f64) (local $r3 f64)
    (local $r4 f64) (local $r5 f64) (local $r6 f64) (local $r7 f64)
    (local $s2 i32) (local $s3 i32) (local $s4 i32) (local $s5 i32) (local $s6 i32) (local $s7 i32)
    (local $s8 i32) (local $b i32) (local $r f64) (local $n2 i32) (local $i i32)
    (if (i32.lt_u (local.get $n) (i32.const 8))
      (then
        (local.set $r (f64.const -0))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $r (f64.add (local.get $r) (f64.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $s)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
        (return (local.get $r))))
    (if (i32.le_u (local.get $n) (i32.const 128))
      (then
        (local.set $s2 (i32.shl (local.get $s) (i32.const 1)))
        (local.set $s3 (i32.add (local.get $s2) (local.get $s)))
        (local.set $s4 (i32.shl (local.get $s) (i32.const 2)))
        (local.set $s5 (i32.add (local.get $s4) (local.get $s)))
        (local.set $s6 (i32.add (local.get $s4) (local.get $s2)))
        (local.set $s7 (i32.add (local.get $s6) (local.get $s)))
        (local.set $s8 (i32.shl (local.get $s) (i32.const 3)))
        (local.set $r0 (f64.load (local.get $p)))
        (local.set $r1 (f64.load (i32.add (local.get $p) (local.get $s))))
        (local.set $r2 (f64.load (i32.add (local.get $p) (local.get $s2))))
        (local.set $r3 (f64.load (i32.add (local.get $p) (local.get $s3))))
        (local.set $r4 (f64.load (i32.add (local.get $p) (local.get $s4))))
        (local.set $r5 (f64.load (i32.add (local.get $p) (local.get $s5))))
        (local.set $r6 (f64.load (i32.add (local.get $p) (local.get $s6))))
        (local.set $r7 (f64.load (i32.add (local.get $p) (local.get $s7))))
        (local.set $p (i32.add (local.get $p) (local.get $s8)))
        (local.set $b (i32.shr_u (local.get $n) (i32.const 3)))
        (local.set $i (i32.const 1))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $b)))
          (local.set $r0 (f64.add (local.get $r0) (f64.load (local.get $p))))
          (local.set $r1 (f64.add (local.get $r1) (f64.load (i32.add (local.get $p) (local.get $s)))))
          (local.set $r2 (f64.add (local.get $r2) (f64.load (i32.add (local.get $p) (local.get $s2)))))
          (local.set $r3 (f64.add (local.get $r3) (f64.load (i32.add (local.get $p) (local.get $s3)))))
          (local.set $r4 (f64.add (local.get $r4) (f64.load (i32.add (local.get $p) (local.get $s4)))))
          (local.set $r5 (f64.add (local.get $r5) (f64.load (i32.add (local.get $p) (local.get $s5)))))
          (local.set $r6 (f64.add (local.get $r6) (f64.load (i32.add (local.get $p) (local.get $s6)))))
          (local.set $r7 (f64.add (local.get $r7) (f64.load (i32.add (local.get $p) (local.get $s7)))))
          (local.set $p (i32.add (local.get $p) (local.get $s8)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
        (local.set $r
          (f64.add
            (f64.add (f64.add (local.get $r0) (local.get $r1)) (f64.add (local.get $r2) (local.get $r3)))
            (f64.add (f64.add (local.get $r4) (local.get $r5)) (f64.add (local.get $r6) (local.get $r7)))))
        (local.set $i (i32.shl (local.get $b) (i32.const 3)))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $r (f64.add (local.get $r) (f64.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (local.get $s)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
        (return (local.get $r))))
    (local.set $n2 (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -8)))
    (f64.add
      (call $sums (local.get $p) (local.get $n2) (local.get $s))
      (call $sums (i32.add (local.get $p) (i32.mul (local.get $n2) (local.get $s)))
        (i32.sub (local.get $n) (local.get $n2)) (local.get $s))))

  ;; Pairwise sum of n elements from p, 2 elements (16 bytes) apart: the lanes 0 of two loads
  ;; make one accumulator pair, so the loop stays in SIMD registers.
  (func $sum2 (param $p i32) (param $n i32) (result f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $e i32) (local $r f64) (local $n2 i32)
    (if (i32.lt_u (local.get $n) (i32.const 8))
      (then (return (call $sums (local.get $p) (local.get $n) (i32.const 16)))))
    (if (i32.le_u (local.get $n) (i32.const 128))
      (then
        (local.set $a0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (v128.load (local.get $p)) (v128.load offset=16 (local.get $p))))
        (local.set $a1 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (v128.load offset=32 (local.get $p)) (v128.load offset=48 (local.get $p))))
        (local.set $a2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (v128.load offset=64 (local.get $p)) (v128.load offset=80 (local.get $p))))
        (local.set $a3 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (v128.load offset=96 (local.get $p)) (v128.load offset=112 (local.get $p))))
        (local.set $e (i32.add (local.get $p)
          (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 4))))
        (local.set $p (i32.add (local.get $p) (i32.const 128)))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
          (local.set $a0 (f64x2.add (local.get $a0) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (v128.load (local.get $p)) (v128.load offset=16 (local.get $p)))))
          (local.set $a1 (f64x2.add (local.get $a1) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (v128.load offset=32 (local.get $p)) (v128.load offset=48 (local.get $p)))))
          (local.set $a2 (f64x2.add (local.get $a2) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (v128.load offset=64 (local.get $p)) (v128.load offset=80 (local.get $p)))))
          (local.set $a3 (f64x2.add (local.get $a3) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
            (v128.load offset=96 (local.get $p)) (v128.load offset=112 (local.get $p)))))
          (local.set $p (i32.add (local.get $p) (i32.const 128)))
          (br $next)))
        (local.set $r (call $combine (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)))
        (local.set $e (i32.add (local.get $e)
          (i32.shl (i32.and (local.get $n) (i32.const 7)) (i32.const 4))))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $p) (local.get $e)))
          (local.set $r (f64.add (local.get $r) (f64.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br $next)))
        (return (local.get $r))))
    (local.set $n2 (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -8)))
    (f64.add
      (call $sum2 (local.get $p) (local.get $n2))
      (call $sum2 (i32.add (local.get $p) (i32.shl (local.get $n2) (i32.const 4)))
        (i32.sub (local.get $n) (local.get $n2)))))

  ;; The whole of a long sum: the JavaScript drivers' 8192-element chunks combined with their binary
  ;; counter, written as the recursion it equals (perfect trees over the highest power of two of the
  ;; chunk count, then the rest, right-nested), so one call from JavaScript does all the work.
  ;; $leaf picks the chunk kernel from the stride s in bytes (8: unit, 16: every 2nd).
  (func $leaf (param $p i32) (param $n i32) (param $s i32) (result f64)
    (if (result f64) (i32.eq (local.get $s) (i32.const 8))
      (then (call $sum (local.get $p) (local.get $n)))
      (else (if (result f64) (i32.eq (local.get $s) (i32.const 16))
        (then (call $sum2 (local.get $p) (local.get $n)))
        (else (call $sums (local.get $p) (local.get $n) (local.get $s)))))))

  ;; The perfect tree over c (a power of two) chunks from p.
  (func $perfect (param $p i32) (param $c i32) (param $s i32) (result f64)
    (local $h i32)
    (if (i32.eq (local.get $c) (i32.const 1))
      (then (return (call $leaf (local.get $p) (i32.const 8192) (local.get $s)))))
    (local.set $h (i32.shr_u (local.get $c) (i32.const 1)))
    (f64.add
      (call $perfect (local.get $p) (local.get $h) (local.get $s))
      (call $perfect (i32.add (local.get $p) (i32.mul (i32.mul (local.get $h) (i32.const 8192)) (local.get $s)))
        (local.get $h) (local.get $s))))

  ;; c >= 1 chunks from p: the perfect tree of the highest power of two, plus the rest.
  (func $chunks (param $p i32) (param $c i32) (param $s i32) (result f64)
    (local $h i32)
    (local.set $h (i32.shl (i32.const 1) (i32.sub (i32.const 31) (i32.clz (local.get $c)))))
    (if (i32.eq (local.get $h) (local.get $c))
      (then (return (call $perfect (local.get $p) (local.get $c) (local.get $s)))))
    (f64.add
      (call $perfect (local.get $p) (local.get $h) (local.get $s))
      (call $chunks (i32.add (local.get $p) (i32.mul (i32.mul (local.get $h) (i32.const 8192)) (local.get $s)))
        (i32.sub (local.get $c) (local.get $h)) (local.get $s))))

  ;; 0 + the pairwise sum of n elements from p, s bytes apart: JavaScript's sumPairwise.
  (func (export "sumAll") (param $p i32) (param $n i32) (param $s i32) (result f64)
    (local $c i32) (local $r f64) (local $rest i32)
    (if (i32.lt_u (local.get $n) (i32.const 8192))
      (then (return (f64.add (f64.const 0) (call $leaf (local.get $p) (local.get $n) (local.get $s))))))
    (local.set $c (i32.shr_u (local.get $n) (i32.const 13)))
    (local.set $r (call $chunks (local.get $p) (local.get $c) (local.get $s)))
    (local.set $rest (i32.and (local.get $n) (i32.const 8191)))
    (if (local.get $rest)
      (then (local.set $r (f64.add (local.get $r)
        (call $leaf (i32.add (local.get $p) (i32.mul (i32.shl (local.get $c) (i32.const 13)) (local.get $s)))
          (local.get $rest) (local.get $s))))))
    (f64.add (f64.const 0) (local.get $r)))

  ;; The same for dot products of unit-stride vectors.
  (func $dotPerfect (param $px i32) (param $py i32) (param $c i32) (result f64)
    (local $h i32) (local $b i32)
    (if (i32.eq (local.get $c) (i32.const 1))
      (then (return (call $dot (local.get $px) (local.get $py) (i32.const 8192)))))
    (local.set $h (i32.shr_u (local.get $c) (i32.const 1)))
    (local.set $b (i32.shl (local.get $h) (i32.const 16)))
    (f64.add
      (call $dotPerfect (local.get $px) (local.get $py) (local.get $h))
      (call $dotPerfect (i32.add (local.get $px) (local.get $b)) (i32.add (local.get $py) (local.get $b))
        (local.get $h))))

  (func $dotChunks (param $px i32) (param $py i32) (param $c i32) (result f64)
    (local $h i32) (local $b i32)
    (local.set $h (i32.shl (i32.const 1) (i32.sub (i32.const 31) (i32.clz (local.get $c)))))
    (if (i32.eq (local.get $h) (local.get $c))
      (then (return (call $dotPerfect (local.get $px) (local.get $py) (local.get $c)))))
    (local.set $b (i32.shl (local.get $h) (i32.const 16)))
    (f64.add
      (call $dotPerfect (local.get $px) (local.get $py) (local.get $h))
      (call $dotChunks (i32.add (local.get $px) (local.get $b)) (i32.add (local.get $py) (local.get $b))
        (i32.sub (local.get $c) (local.get $h)))))

  ;; 0 + the pairwise dot product of n unit-stride elements: JavaScript's dotPairwise.
  (func (export "dotAll") (param $px i32) (param $py i32) (param $n i32) (result f64)
    (local $c i32) (local $r f64) (local $b i32)
    (if (i32.le_u (local.get $n) (i32.const 8192))
      (then (return (f64.add (f64.const 0) (call $dot (local.get $px) (local.get $py) (local.get $n))))))
    (local.set $c (i32.shr_u (local.get $n) (i32.const 13)))
    (local.set $r (call $dotChunks (local.get $px) (local.get $py) (local.get $c)))
    (local.set $b (i32.shl (local.get $c) (i32.const 16)))
    (if (i32.and (local.get $n) (i32.const 8191))
      (then (local.set $r (f64.add (local.get $r)
        (call $dot (i32.add (local.get $px) (local.get $b)) (i32.add (local.get $py) (local.get $b))
          (i32.and (local.get $n) (i32.const 8191)))))))
    (f64.add (f64.const 0) (local.get $r)))

  ;; Pairwise dot product of n unit-stride elements of x (from px) and y (from py); the
  ;; accumulators start at 0 (not at the first products), as the JavaScript kernel's.
  (func $dot (param $px i32) (param $py i32) (param $n i32) (result f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $e i32) (local $r f64) (local $n2 i32)
    (if (i32.lt_u (local.get $n) (i32.const 8))
      (then
        (local.set $r (f64.const -0))
        (local.set $e (i32.add (local.get $px) (i32.shl (local.get $n) (i32.const 3))))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $px) (local.get $e)))
          (local.set $r (f64.add (local.get $r)
            (f64.mul (f64.load (local.get $px)) (f64.load (local.get $py)))))
          (local.set $px (i32.add (local.get $px) (i32.const 8)))
          (local.set $py (i32.add (local.get $py) (i32.const 8)))
          (br $next)))
        (return (local.get $r))))
    (if (i32.le_u (local.get $n) (i32.const 128))
      (then
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0))
        (local.set $a3 (v128.const f64x2 0 0))
        (local.set $e (i32.add (local.get $px)
          (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 3))))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $px) (local.get $e)))
          (local.set $a0 (f64x2.add (local.get $a0)
            (f64x2.mul (v128.load (local.get $px)) (v128.load (local.get $py)))))
          (local.set $a1 (f64x2.add (local.get $a1)
            (f64x2.mul (v128.load offset=16 (local.get $px)) (v128.load offset=16 (local.get $py)))))
          (local.set $a2 (f64x2.add (local.get $a2)
            (f64x2.mul (v128.load offset=32 (local.get $px)) (v128.load offset=32 (local.get $py)))))
          (local.set $a3 (f64x2.add (local.get $a3)
            (f64x2.mul (v128.load offset=48 (local.get $px)) (v128.load offset=48 (local.get $py)))))
          (local.set $px (i32.add (local.get $px) (i32.const 64)))
          (local.set $py (i32.add (local.get $py) (i32.const 64)))
          (br $next)))
        (local.set $r (call $combine (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)))
        (local.set $e (i32.add (local.get $e)
          (i32.shl (i32.and (local.get $n) (i32.const 7)) (i32.const 3))))
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $px) (local.get $e)))
          (local.set $r (f64.add (local.get $r)
            (f64.mul (f64.load (local.get $px)) (f64.load (local.get $py)))))
          (local.set $px (i32.add (local.get $px) (i32.const 8)))
          (local.set $py (i32.add (local.get $py) (i32.const 8)))
          (br $next)))
        (return (local.get $r))))
    (local.set $n2 (i32.and (i32.shr_u (local.get $n) (i32.const 1)) (i32.const -8)))
    (f64.add
      (call $dot (local.get $px) (local.get $py) (local.get $n2))
      (call $dot
        (i32.add (local.get $px) (i32.shl (local.get $n2) (i32.const 3)))
        (i32.add (local.get $py) (i32.shl (local.get $n2) (i32.const 3)))
        (i32.sub (local.get $n) (local.get $n2)))))

  ;; y[i] += alpha * x[i] for n unit-stride elements (the callers copy an x that overlaps y).
  (func (export "axpy") (param $alpha f64) (param $px i32) (param $py i32) (param $n i32)
    (local $va v128) (local $e i32)
    (local.set $va (f64x2.splat (local.get $alpha)))
    (local.set $e (i32.add (local.get $py) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $py) (local.get $e)))
      (v128.store (local.get $py)
        (f64x2.add (v128.load (local.get $py))
          (f64x2.mul (local.get $va) (v128.load (local.get $px)))))
      (local.set $px (i32.add (local.get $px) (i32.const 16)))
      (local.set $py (i32.add (local.get $py) (i32.const 16)))
      (br $next)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $py)
        (f64.add (f64.load (local.get $py))
          (f64.mul (local.get $alpha) (f64.load (local.get $px))))))))

  ;; o[i] = a[i] op b[i] for add, subtract, multiply, divide (scripts/build-wasm.mjs writes them
  ;; from one template: f64x2 pairs, then the odd last element).
  ;; @binary-ops
)
