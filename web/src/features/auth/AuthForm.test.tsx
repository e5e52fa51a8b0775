import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthForm } from './AuthForm';

describe('AuthForm', () => {
  it('blocks an invalid email and a short password on sign-up', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<AuthForm mode="signup" onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText(/^Email/), 'not-an-email');
    await userEvent.type(screen.getByLabelText(/^Password/), 'short');
    await userEvent.type(screen.getByLabelText(/^Confirm password/), 'other');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText('Enter a valid email address')).toBeInTheDocument();
    expect(screen.getByText('Use at least 8 characters')).toBeInTheDocument();
    expect(screen.getByText('Passwords do not match')).toBeInTheDocument();
  });

  it('submits trimmed email and password', async () => {
    const onSubmit = vi.fn(async () => {});
    render(<AuthForm mode="signup" onSubmit={onSubmit} />);
    await userEvent.type(screen.getByLabelText(/^Email/), '  ann@example.com ');
    await userEvent.type(screen.getByLabelText(/^Password/), 'correct horse');
    await userEvent.type(screen.getByLabelText(/^Confirm password/), 'correct horse');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(onSubmit).toHaveBeenCalledWith('ann@example.com', 'correct horse');
  });

  it('shows the mapped error when sign-in fails', async () => {
    const onSubmit = vi.fn(async () => {
      throw Object.assign(new Error('raw'), { code: 'auth/invalid-credential' });
    });
    render(<AuthForm mode="signin" onSubmit={onSubmit} errorMessage={(e) => ((e as { code: string }).code === 'auth/invalid-credential' ? 'Wrong email or password.' : 'x')} />);
    await userEvent.type(screen.getByLabelText(/^Email/), 'a@b.co');
    await userEvent.type(screen.getByLabelText(/^Password/), 'pw');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
  });
});
