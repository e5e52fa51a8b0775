import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { BrandKitForm, validateBrand, EMPTY_KIT } from './BrandKitForm';
import { ApiError } from '../../api/client';

describe('BrandKitForm', () => {
  it('requires a name', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<BrandKitForm onSubmit={onSubmit} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save brand kit' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Give the brand a name')).toBeInTheDocument();
  });

  it('refuses a colour that is not #RRGGBB and submits the full kit payload', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<BrandKitForm onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText(/^Brand name/), 'Acme');
    await userEvent.type(screen.getByLabelText(/^Voice/), 'Plain and friendly');
    await userEvent.click(screen.getByRole('combobox', { name: /^Tone/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Playful' }));
    await userEvent.type(screen.getByRole('textbox', { name: /^Banned words/ }), 'cheap{Enter}');
    await userEvent.type(screen.getByRole('textbox', { name: /^Required phrases/ }), 'T&Cs apply{Enter}');
    await userEvent.type(screen.getByRole('textbox', { name: /^Colours \(#RRGGBB\)/ }), 'red{Enter}');
    expect(screen.getByText('Use the #RRGGBB form, e.g. #1A2B3C')).toBeInTheDocument();
    const colours = screen.getByRole('textbox', { name: /^Colours \(#RRGGBB\)/ });
    await userEvent.clear(colours);
    await userEvent.type(colours, '#1A2B3C{Enter}');
    await userEvent.type(screen.getByRole('textbox', { name: /^Fonts/ }), 'Inter{Enter}');
    await userEvent.type(screen.getByRole('textbox', { name: /^Example ads/ }), 'Fresh bread daily{Enter}');
    expect(within(screen.getByRole('list', { name: 'Banned words list' })).getByText('cheap')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Save brand kit' }));
    expect(onSubmit).toHaveBeenCalledWith({
      name: 'Acme',
      kit: {
        voice: 'Plain and friendly',
        tone: 'playful',
        example_ads: ['Fresh bread daily'],
        banned_words: ['cheap'],
        required_phrases: ['T&Cs apply'],
        colors: ['#1A2B3C'],
        fonts: ['Inter'],
      },
    });
  });

  it('shows field problems sent by the API next to the field', () => {
    const err = new ApiError(422, 'invalid', 'Invalid brand', [{ field: 'name', problem: 'already used by another brand' }]);
    render(<BrandKitForm onSubmit={vi.fn()} serverError={err} initial={{ name: 'Acme', kit: EMPTY_KIT }} />);
    expect(screen.getByText('already used by another brand')).toBeInTheDocument();
  });

  it('flags a required phrase that contains a banned word', () => {
    const errs = validateBrand({ name: 'A', kit: { ...EMPTY_KIT, banned_words: ['Free'], required_phrases: ['Free returns'] } });
    expect(errs['kit.required_phrases']).toMatch(/banned word/);
  });
});

describe('BrandKitForm payload strictness', () => {
  it('sends only the kit keys and null for an empty voice, even when the loaded brand has more', async () => {
    const onSubmit = vi.fn(async () => {});
    const loaded = { name: 'Acme', kit: { ...EMPTY_KIT, voice: null, tone: 'bold', logo_path: 'x/y.png', extra: 1 } } as never;
    render(<BrandKitForm onSubmit={onSubmit} initial={loaded} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save brand kit' }));
    expect(onSubmit).toHaveBeenCalledWith({
      name: 'Acme',
      kit: { voice: null, tone: 'bold', example_ads: [], banned_words: [], required_phrases: [], colors: [], fonts: [] },
    });
  });
});
