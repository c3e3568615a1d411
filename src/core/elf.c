/* elf.c -- find PT_INTERP and the program headers' address in an image. */
#include "core/elf.h"

#include <elf.h>
#include <string.h>

int elf_parse(const uint8_t *img, size_t len, struct elf_info *out)
{
	memset(out, 0, sizeof(*out));
	Elf64_Ehdr eh;
	if (len < sizeof(eh))
		return -1;
	memcpy(&eh, img, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phoff > len ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
		return -1;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_INTERP) {
			if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset || ph.p_filesz < 2)
				return -1;
			out->has_interp = true;
			out->interp_off = ph.p_offset;
			out->interp_size = ph.p_filesz;
			out->interp_vaddr = ph.p_vaddr;
		} else if (ph.p_type == PT_PHDR) {
			out->phdr_vaddr = ph.p_vaddr;
			out->has_phdr_vaddr = true;
		} else if (ph.p_type == PT_LOAD && !out->has_phdr_vaddr &&
		           eh.e_phoff >= ph.p_offset && eh.e_phoff < ph.p_offset + ph.p_filesz) {
			out->phdr_vaddr = ph.p_vaddr + (eh.e_phoff - ph.p_offset);
			out->has_phdr_vaddr = true;
		}
	}
	return 0;
}
