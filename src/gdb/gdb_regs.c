/* gdb_regs.c -- x86-64 registers in gdb's numbering (gdb_regs.h).  The
 * numbering and the types are those of gdb's own features/i386/64bit-*.xml:
 * 0-23 core (16 general, rip, eflags, 6 segments), 24-39 x87, 40-56 SSE,
 * 57 orig_rax, 58-59 fs/gs bases, 60-75 the upper halves of the ymm. */
#include "gdb/gdb_regs.h"

#include <string.h>

const char gdb_target_xml[] =
"<?xml version=\"1.0\"?>\n"
"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
"<target>\n"
"<architecture>i386:x86-64</architecture>\n"
"<osabi>GNU/Linux</osabi>\n"
"<feature name=\"org.gnu.gdb.i386.core\">\n"
"<flags id=\"i386_eflags\" size=\"4\">\n"
" <field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>\n"
" <field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>\n"
" <field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>\n"
" <field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>\n"
" <field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>\n"
" <field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>\n"
" <field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>\n"
" <field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>\n"
" <field name=\"ID\" start=\"21\" end=\"21\"/>\n"
"</flags>\n"
"<reg name=\"rax\" bitsize=\"64\" type=\"int64\" regnum=\"0\"/>\n"
"<reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
"<reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
"<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>\n"
"<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>\n"
"<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>\n"
"<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>\n"
"<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>\n"
"<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>\n"
"</feature>\n"
"<feature name=\"org.gnu.gdb.i386.sse\">\n"
"<vector id=\"v8bf16\" type=\"bfloat16\" count=\"8\"/>\n"
"<vector id=\"v8h\" type=\"ieee_half\" count=\"8\"/>\n"
"<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
"<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n"
"<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
"<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
"<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
"<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n"
"<union id=\"vec128\">\n"
" <field name=\"v8_bfloat16\" type=\"v8bf16\"/><field name=\"v8_half\" type=\"v8h\"/>\n"
" <field name=\"v4_float\" type=\"v4f\"/><field name=\"v2_double\" type=\"v2d\"/>\n"
" <field name=\"v16_int8\" type=\"v16i8\"/><field name=\"v8_int16\" type=\"v8i16\"/>\n"
" <field name=\"v4_int32\" type=\"v4i32\"/><field name=\"v2_int64\" type=\"v2i64\"/>\n"
" <field name=\"uint128\" type=\"uint128\"/>\n"
"</union>\n"
"<flags id=\"i386_mxcsr\" size=\"4\">\n"
" <field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>\n"
" <field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>\n"
" <field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>\n"
" <field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>\n"
" <field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>\n"
" <field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>\n"
" <field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" end=\"15\"/>\n"
"</flags>\n"
"<reg name=\"xmm0\" bitsize=\"128\" type=\"vec128\" regnum=\"40\"/>\n"
"<reg name=\"xmm1\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm2\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm3\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm4\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm5\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm6\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm7\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm8\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm9\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm10\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm11\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm12\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm13\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm14\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"xmm15\" bitsize=\"128\" type=\"vec128\"/>\n"
"<reg name=\"mxcsr\" bitsize=\"32\" type=\"i386_mxcsr\" group=\"vector\"/>\n"
"</feature>\n"
"<feature name=\"org.gnu.gdb.i386.linux\">\n"
"<reg name=\"orig_rax\" bitsize=\"64\" type=\"int\" regnum=\"57\"/>\n"
"</feature>\n"
"<feature name=\"org.gnu.gdb.i386.segments\">\n"
"<reg name=\"fs_base\" bitsize=\"64\" type=\"int\" regnum=\"58\"/>\n"
"<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>\n"
"</feature>\n"
"<feature name=\"org.gnu.gdb.i386.avx\">\n"
"<reg name=\"ymm0h\" bitsize=\"128\" type=\"uint128\" regnum=\"60\"/>\n"
"<reg name=\"ymm1h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm2h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm3h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm4h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm5h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm6h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm7h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm8h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm9h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm10h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm11h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm12h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm13h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm14h\" bitsize=\"128\" type=\"uint128\"/>\n"
"<reg name=\"ymm15h\" bitsize=\"128\" type=\"uint128\"/>\n"
"</feature>\n"
"</target>\n";

/* The XSAVE area's offsets (the legacy FXSAVE image, then the standard
 * format's AVX component). */
#define XS_FCW 0
#define XS_FSW 2
#define XS_FTW 4
#define XS_FOP 6
#define XS_FIP 8
#define XS_FDP 16
#define XS_MXCSR 24
#define XS_ST 32
#define XS_XMM 160
#define XS_YMMH 576

static size_t put(uint8_t out[16], const void *p, size_t n)
{
	memcpy(out, p, n);
	return n;
}

static size_t put_u(uint8_t out[16], uint64_t v, size_t n)
{
	return put(out, &v, n);
}

static uint64_t xs(const uint8_t *x, size_t xlen, size_t off, size_t n)
{
	uint64_t v = 0;
	if (off + n <= xlen)
		memcpy(&v, x + off, n);
	return v;
}

size_t gdb_reg(const struct scribe_regs *g, const uint8_t *x, size_t xlen, int n,
               uint8_t out[16])
{
	const uint64_t gp[16] = { g->rax, g->rbx, g->rcx, g->rdx, g->rsi, g->rdi, g->rbp, g->rsp,
	                          g->r8, g->r9, g->r10, g->r11, g->r12, g->r13, g->r14, g->r15 };
	const uint64_t seg[6] = { g->cs, g->ss, g->ds, g->es, g->fs, g->gs };
	memset(out, 0, 16);
	if (n < 16)
		return put_u(out, gp[n], 8);
	if (n == 16)
		return put_u(out, g->rip, 8);
	if (n == 17)
		return put_u(out, g->eflags, 4);
	if (n < 24)
		return put_u(out, seg[n - 18], 4);
	if (n < 32) {
		if ((size_t)(XS_ST + 16 * (n - 24) + 10) <= xlen)
			memcpy(out, x + XS_ST + 16 * (n - 24), 10);
		return 10;
	}
	switch (n) {
	case 32: return put_u(out, xs(x, xlen, XS_FCW, 2), 4);
	case 33: return put_u(out, xs(x, xlen, XS_FSW, 2), 4);
	case 34: {
		/* the full tag word from FXSAVE's abridged one: empty or valid */
		uint64_t ab = xs(x, xlen, XS_FTW, 1), tag = 0;
		for (int i = 0; i < 8; i++)
			tag |= (ab & (1u << i) ? 0ull : 3ull) << (2 * i);
		return put_u(out, tag, 4);
	}
	case 35: return put_u(out, xs(x, xlen, XS_FIP + 4, 2), 4);
	case 36: return put_u(out, xs(x, xlen, XS_FIP, 4), 4);
	case 37: return put_u(out, xs(x, xlen, XS_FDP + 4, 2), 4);
	case 38: return put_u(out, xs(x, xlen, XS_FDP, 4), 4);
	case 39: return put_u(out, xs(x, xlen, XS_FOP, 2), 4);
	case 56: return put_u(out, xs(x, xlen, XS_MXCSR, 4), 4);
	case 57: return put_u(out, g->orig_rax, 8);
	case 58: return put_u(out, g->fs_base, 8);
	case 59: return put_u(out, g->gs_base, 8);
	default: break;
	}
	if (n >= 40 && n < 56) {
		if ((size_t)(XS_XMM + 16 * (n - 40) + 16) <= xlen)
			memcpy(out, x + XS_XMM + 16 * (n - 40), 16);
		return 16;
	}
	if (n >= 60 && n < 76) {
		if ((size_t)(XS_YMMH + 16 * (n - 60) + 16) <= xlen)
			memcpy(out, x + XS_YMMH + 16 * (n - 60), 16);
		return 16;
	}
	return 0;
}
