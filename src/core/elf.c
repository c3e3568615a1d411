/* elf.c -- find PT_INTERP and the program headers' address in an image,
 * and a shared object's dynamic symbols. */
#include "core/elf.h"

#include <elf.h>
#include <stdbool.h>
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

/* Section i's header, bounds-checked. */
static bool shdr(const uint8_t *img, size_t len, const Elf64_Ehdr *eh, unsigned i, Elf64_Shdr *sh)
{
	if (i >= eh->e_shnum)
		return false;
	memcpy(sh, img + eh->e_shoff + (uint64_t)i * sizeof(*sh), sizeof(*sh));
	return sh->sh_offset <= len && sh->sh_size <= len - sh->sh_offset;
}

/* The address the image's first byte has in its symbols (a vDSO is
 * linked at 0, but need not be). */
static uint64_t image_vaddr(const uint8_t *img, const Elf64_Ehdr *eh)
{
	for (int i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, img + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_LOAD)
			return ph.p_vaddr - ph.p_offset;
	}
	return 0;
}

int elf_dynsym(const uint8_t *img, size_t len, const char *name, uint64_t *off,
               uint64_t *size)
{
	struct elf_info ei;
	Elf64_Ehdr eh;
	if (elf_parse(img, len, &ei) < 0)
		return -1;
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > len ||
	    (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) > len - eh.e_shoff)
		return -1;
	uint64_t base = image_vaddr(img, &eh);
	size_t nlen = strlen(name);
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sym, str;
		if (!shdr(img, len, &eh, i, &sym) || sym.sh_type != SHT_DYNSYM ||
		    !shdr(img, len, &eh, sym.sh_link, &str))
			continue;
		for (uint64_t k = 0; k + sizeof(Elf64_Sym) <= sym.sh_size; k += sizeof(Elf64_Sym)) {
			Elf64_Sym s;
			memcpy(&s, img + sym.sh_offset + k, sizeof(s));
			if (s.st_shndx == SHN_UNDEF || s.st_name >= str.sh_size ||
			    str.sh_size - s.st_name <= nlen ||
			    memcmp(img + str.sh_offset + s.st_name, name, nlen + 1) != 0)
				continue;
			if (s.st_value < base || s.st_value - base > len ||
			    s.st_size > len - (s.st_value - base))
				return -1;
			*off = s.st_value - base;
			*size = s.st_size;
			return 0;
		}
	}
	return -1;
}
