using System;

using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>
/// The im2col matrix of a chunk of samples (one group of their channels), never stored: each
/// block the GEMM asks for is packed straight from the images. Either as <c>op(B)</c> of the
/// forward product <c>W · columns</c> (k: patch row, n: pixel of the chunk) or transposed, as
/// <c>op(B)</c> of the weight gradient <c>dy · columnsᵀ</c> (k: pixel, n: patch row). Pixel j of
/// the chunk is output pixel <c>j mod P</c> of its <c>j / P</c>-th sample; patch row q is
/// (channel, kh, kw), as in <see cref="ConvolutionKernels.Im2Col"/>. Packing from the image
/// replaces im2col's write of the matrix and the packing's read and write of it by one pass.
/// </summary>
internal sealed unsafe class ReceptiveFieldPanels : IPanelSource
{
    private float* _images;
    private long _sampleStride;
    private ConvGeometry _g;
    private bool _transposed;

    /// <param name="images">The chunk's first sample at its group's first channel.</param>
    /// <param name="sampleStride">Floats from one sample's input to the next.</param>
    /// <param name="g">The convolution.</param>
    /// <param name="transposed">Whether the GEMM multiplies by the columns' transpose (the weight gradient).</param>
    public void Set(float* images, long sampleStride, in ConvGeometry g, bool transposed)
    {
        _images = images;
        _sampleStride = sampleStride;
        _g = g;
        _transposed = transposed;
    }

    public void Clear() => _images = null;

    public void Pack(int pc, int kc, int jc, int nc, float* panel)
    {
        if (_transposed)
        {
            PackTransposed(pc, kc, jc, nc, panel);
        }
        else
        {
            PackColumns(pc, kc, jc, nc, panel);
        }
    }

    // k = patch rows [pc, pc+kc), n = pixels [jc, jc+nc): each patch row's pixels are runs along
    // output rows, cut where a strip ends, written contiguously into the strip's row.
    private void PackColumns(int pc, int kc, int jc, int nc, float* panel)
    {
        int nr = Gemm.NR;
        var first = PixelCursor.At(jc, _g);
        var patch = PatchCursor.At(pc, _g);
        for (int p = 0; p < kc; p++, patch.Next(_g))
        {
            var pixel = first;
            float* strip = panel + (p * nr);
            int within = 0;
            for (int done = 0; done < nc;)
            {
                int length = Math.Min(Math.Min(_g.OutWidth - pixel.Column, nr - within), nc - done);
                FillRun(patch, pixel, length, strip + within, 1);
                pixel.Advance(length, _g);
                done += length;
                within += length;
                if (within == nr)
                {
                    within = 0;
                    strip += (long)kc * nr;
                }
            }

            if (within != 0)
            {
                ColumnRun.Clear(strip + within, nr - within);
            }
        }
    }

    // k = pixels [pc, pc+kc), n = patch rows [jc, jc+nc): each patch row is one column of a strip,
    // its pixels read as runs of the image and written NR floats apart.
    private void PackTransposed(int pc, int kc, int jc, int nc, float* panel)
    {
        int nr = Gemm.NR;
        var first = PixelCursor.At(pc, _g);
        var patch = PatchCursor.At(jc, _g);
        for (int column = 0; column < nc; column++, patch.Next(_g))
        {
            float* dst = panel + ((long)(column / nr) * kc * nr) + (column % nr);
            var pixel = first;
            for (int done = 0; done < kc;)
            {
                int length = Math.Min(_g.OutWidth - pixel.Column, kc - done);
                FillRun(patch, pixel, length, dst + ((long)done * nr), nr);
                pixel.Advance(length, _g);
                done += length;
            }
        }

        int tail = nc % nr;
        if (tail != 0)
        {
            float* last = panel + ((long)(nc / nr) * kc * nr);
            for (int p = 0; p < kc; p++)
            {
                ColumnRun.Clear(last + (p * nr) + tail, nr - tail);
            }
        }
    }

    // Patch row (channel, kh, kw) at output pixels (oh, ow .. ow+length) of one sample: the input
    // pixels they read, zero where the window hangs over the padding; written stride floats apart.
    private void FillRun(in PatchCursor patch, in PixelCursor pixel, int length, float* dst, int stride)
    {
        var g = _g;
        int ih = (pixel.Row * g.StrideH) - g.PadH + (patch.Kh * g.DilateH);
        if ((uint)ih >= (uint)g.Height)
        {
            Zero(dst, length, stride);
            return;
        }

        float* row = _images + (pixel.Sample * _sampleStride) + ((((long)patch.Channel * g.Height) + ih) * g.Width);
        int shift = (patch.Kw * g.DilateW) - g.PadW;
        int ow = pixel.Column;
        if (g.StrideW != 1)
        {
            for (int t = 0; t < length; t++)
            {
                int iw = ((ow + t) * g.StrideW) + shift;
                dst[t * stride] = (uint)iw < (uint)g.Width ? row[iw] : 0f;
            }

            return;
        }

        // Stride 1: one contiguous run of the input row, zeros where it hangs over the padding.
        int start = Math.Clamp(-shift, ow, ow + length);
        int end = Math.Clamp(g.Width - shift, start, ow + length);
        if (stride == 1)
        {
            ColumnRun.Clear(dst, start - ow);
            ColumnRun.Copy(row + start + shift, dst + (start - ow), end - start);
            ColumnRun.Clear(dst + (end - ow), ow + length - end);
            return;
        }

        Zero(dst, start - ow, stride);
        float* src = row + shift;
        for (int t = start; t < end; t++)
        {
            dst[(t - ow) * stride] = src[t];
        }

        Zero(dst + ((end - ow) * stride), ow + length - end, stride);
    }

    private static void Zero(float* dst, int count, int stride)
    {
        if (stride == 1)
        {
            ColumnRun.Clear(dst, count);
            return;
        }

        for (int t = 0; t < count; t++)
        {
            dst[t * stride] = 0f;
        }
    }

    /// <summary>A pixel of the chunk as (sample, output row, output column), stepped without dividing.</summary>
    private struct PixelCursor
    {
        public int Sample;
        public int Row;
        public int Column;

        public static PixelCursor At(int pixel, in ConvGeometry g)
        {
            int inSample = pixel % g.OutPixels;
            return new PixelCursor { Sample = pixel / g.OutPixels, Row = inSample / g.OutWidth, Column = inSample % g.OutWidth };
        }

        /// <summary>Moves past <paramref name="length"/> pixels that end at or before the row's end.</summary>
        public void Advance(int length, in ConvGeometry g)
        {
            Column += length;
            if (Column == g.OutWidth)
            {
                Column = 0;
                if (++Row == g.OutHeight)
                {
                    Row = 0;
                    Sample++;
                }
            }
        }
    }

    /// <summary>A patch row as (channel, kh, kw), stepped without dividing.</summary>
    private struct PatchCursor
    {
        public int Channel;
        public int Kh;
        public int Kw;

        public static PatchCursor At(int row, in ConvGeometry g)
        {
            int window = g.KernelH * g.KernelW;
            int inWindow = row % window;
            return new PatchCursor { Channel = row / window, Kh = inWindow / g.KernelW, Kw = inWindow % g.KernelW };
        }

        public void Next(in ConvGeometry g)
        {
            if (++Kw == g.KernelW)
            {
                Kw = 0;
                if (++Kh == g.KernelH)
                {
                    Kh = 0;
                    Channel++;
                }
            }
        }
    }
}
